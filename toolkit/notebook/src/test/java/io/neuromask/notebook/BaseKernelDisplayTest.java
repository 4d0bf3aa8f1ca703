package io.neuromask.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The reflective protocol of the IJava/JJava adapters, against a fake kernel with the same API shape. */
class BaseKernelDisplayTest {

    /** Shaped like jupyter-jvm-basekernel's DisplayData. */
    public static final class FakeDisplayData {
        final Map<String, Object> data = new LinkedHashMap<>();
        String id;

        public FakeDisplayData() {}

        public void putData(String mime, Object value) {
            data.put(mime, value);
        }

        public void setDisplayId(String id) {
            this.id = id;
        }
    }

    /** Shaped like the kernel's display facility ({@code getIO().display}). */
    public static final class FakeFacility {
        final List<String> updates = new ArrayList<>();

        public void updateDisplay(String id, FakeDisplayData d) {
            updates.add(id + "=" + d.data.get("text/plain") + "/" + d.id);
        }
    }

    /** Shaped like the kernel's IO. */
    public static final class FakeIO {
        public final FakeFacility display = new FakeFacility();
    }

    /** Shaped like IJava's JavaKernel. */
    public static final class FakeKernel {
        final List<FakeDisplayData> shown = new ArrayList<>();
        final FakeIO io = new FakeIO();

        public void display(FakeDisplayData d) {
            shown.add(d);
        }

        public FakeIO getIO() {
            return io;
        }
    }

    @Test
    void displaysAndUpdatesThroughTheKernelApi() {
        FakeKernel kernel = new FakeKernel();
        BaseKernelDisplay d = new BaseKernelDisplay(kernel) {
            @Override
            public String name() {
                return "fake";
            }
        };
        String id = d.display(MimeBundle.html("<b>1</b>", "1"));
        assertEquals(1, kernel.shown.size());
        assertEquals(id, kernel.shown.get(0).id);
        assertEquals(Map.of("text/html", "<b>1</b>", "text/plain", "1"), kernel.shown.get(0).data);
        d.update(id, MimeBundle.text("2"));
        assertEquals(List.of(id + "=2/" + id), kernel.io.display.updates);
    }
}
