package io.neuromask;

import io.neuromask.engine.Explanation;
import io.neuromask.engine.MaskEngine;
import io.neuromask.base.RgbImage;
import io.neuromask.base.Target;
import io.neuromask.bench.Benchmark;
import io.neuromask.model.BlockClassifier;
import io.neuromask.model.TinyCnn;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Four threads explaining with one loaded model get the masks sequential runs get. */
class ConcurrencyTest {

    @Test
    void fourThreadsMatchSequentialRuns() throws Exception {
        try (BlockClassifier model = TinyCnn.model(4, null)) {
            List<RgbImage> images = Benchmark.randomImages(model, 4, 21);
            MaskEngine nm = NeuroMask.builder().model(model).iterations(40).seed(3).build();
            List<Explanation> sequential = new ArrayList<>();
            for (RgbImage img : images) {
                sequential.add(nm.explain(img, Target.predicted()));
            }
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<Explanation>> futures = new ArrayList<>();
                for (int round = 0; round < 2; round++) {
                    for (RgbImage img : images) {
                        futures.add(pool.submit(() -> nm.explain(img, Target.predicted())));
                    }
                }
                for (int i = 0; i < futures.size(); i++) {
                    BatchingTest.assertClose(sequential.get(i % 4).mask(), futures.get(i).get().mask(), 0,
                            "thread result " + i);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
