/**
 * NeuroMask core: images, targets and classifiers, models and data, the NeuroMask engine, attribution methods,
 * metrics, visualisation and export. {@code io.neuromask.internal} is not exported. No logging binding: the
 * application chooses one (the CLI uses slf4j-simple).
 */
module io.neuromask.core {
    requires transitive ai.djl.api;
    requires transitive java.desktop;
    requires transitive tablesaw.core;
    requires transitive org.knowm.xchart;
    requires com.google.gson;
    requires pickle;
    requires com.sun.jna;
    requires java.net.http;
    requires org.apache.commons.compress;
    requires commons.math3;

    // metrics beyond the built-ins: io.neuromask.metrics.Metrics loads them
    uses io.neuromask.metrics.Metric;

    // download progress: a notebook module provides the live bar
    uses io.neuromask.store.DownloadListenerProvider;
    // plug-ins: objectives and attribution methods beyond the built-in ones
    uses io.neuromask.engine.ObjectiveDescriptor;
    uses io.neuromask.attribution.MethodDescriptor;

    exports io.neuromask;
    exports io.neuromask.engine;
    exports io.neuromask.engine.neuromask;
    exports io.neuromask.engine.meaningful;
    exports io.neuromask.engine.extremal;
    exports io.neuromask.base;
    exports io.neuromask.io;
    exports io.neuromask.torch;
    exports io.neuromask.store;
    exports io.neuromask.model;
    exports io.neuromask.data;
    exports io.neuromask.attribution;
    exports io.neuromask.bench;
    exports io.neuromask.metrics;
    exports io.neuromask.viz;
    exports io.neuromask.export;
    exports io.neuromask.sweep;

    // Gson reads the manifest and writes explanation.json by reflection
    opens io.neuromask to com.google.gson;
    opens io.neuromask.engine to com.google.gson;
    opens io.neuromask.engine.neuromask to com.google.gson;
    opens io.neuromask.store to com.google.gson;
    opens io.neuromask.export to com.google.gson;
}
