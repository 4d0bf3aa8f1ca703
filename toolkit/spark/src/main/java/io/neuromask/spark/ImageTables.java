package io.neuromask.spark;

import io.neuromask.data.Datasets;
import io.neuromask.data.LabeledImage;
import io.neuromask.data.LabeledImages;
import io.neuromask.store.ModelStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

/**
 * Tables of images for {@link ExplainJob}. The job accepts any table with
 * <ul>
 *   <li>a {@code content} column of the file's bytes (Spark's {@code binaryFile} source), or a {@code path} column
 *     of paths or URIs on any Hadoop file system (read by the executors), or an {@code image} column (Spark's
 *     {@code image} source; the file is read again from its {@code origin} so that decoding is the same as for
 *     the other inputs);</li>
 *   <li>optionally an {@code id} column (else the path or origin is the id) and a {@code label} or {@code target}
 *     integer column, the class to explain (else the predicted class).</li>
 * </ul>
 */
public final class ImageTables {

    static final String ID = "id";
    static final String LABEL = "label";
    static final String CONTENT = "content";
    static final String PATH = "path";
    /** The batch group of an image, added by the job. */
    static final String GROUP = "_group";

    /** The normalised input: id, label (nullable), content (nullable), path (nullable). */
    static final StructType NORMALISED = new StructType()
            .add(ID, DataTypes.StringType, false)
            .add(LABEL, DataTypes.IntegerType, true)
            .add(CONTENT, DataTypes.BinaryType, true)
            .add(PATH, DataTypes.StringType, true);

    private ImageTables() {}

    /**
     * The image files under a directory or URI (recursively; PNG, JPEG, BMP, GIF by extension), through Spark's
     * {@code binaryFile} source; ids are the files' URIs, no labels.
     */
    public static Dataset<Row> files(SparkSession spark, String dirOrUri) {
        return spark.read().format("binaryFile")
                .option("recursiveFileLookup", "true")
                .option("pathGlobFilter", "*.{png,PNG,jpg,JPG,jpeg,JPEG,bmp,BMP,gif,GIF}")
                .load(dirOrUri);
    }

    /**
     * The first {@code count} images of a data set of the store ({@code cifar10-test}, {@code imagenet-val-sample}),
     * as PNG bytes with their ids and labels, in a table of {@code partitions} partitions.
     */
    public static Dataset<Row> dataset(SparkSession spark, String name, int count) throws IOException {
        LabeledImages set = Datasets.open(name, ModelStore.fromEnvironment());
        if (count < 1 || count > set.size()) {
            throw new IllegalArgumentException("data set " + name + " has " + set.size() + " images; asked for "
                    + count + " (give 1.." + set.size() + ")");
        }
        List<LabeledImage> images = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            images.add(set.get(i));
        }
        return of(spark, images);
    }

    /** Labelled images (encoded as lossless PNG) as a table with id, label and content. */
    public static Dataset<Row> of(SparkSession spark, List<LabeledImage> images) {
        List<Row> rows = new ArrayList<>(images.size());
        for (LabeledImage li : images) {
            rows.add(RowFactory.create(li.id(), li.label(), png(li), null));
        }
        return spark.createDataFrame(rows, NORMALISED);
    }

    private static byte[] png(LabeledImage li) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(li.image().toBufferedImage(), "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode image " + li.id(), e);
        }
        return bytes.toByteArray();
    }

    /**
     * Brings an input table to the normalised columns (id, label, content, path).
     *
     * @throws IllegalArgumentException naming the columns found when the table has no image column
     */
    static Dataset<Row> normalise(Dataset<Row> input) {
        Set<String> columns = new TreeSet<>(Arrays.asList(input.columns()));
        Column path;
        Column content;
        if (columns.contains(CONTENT)) {
            content = col(CONTENT).cast(DataTypes.BinaryType);
            path = columns.contains(PATH) ? col(PATH).cast(DataTypes.StringType) : lit(null).cast(DataTypes.StringType);
        } else if (columns.contains(PATH)) {
            content = lit(null).cast(DataTypes.BinaryType);
            path = col(PATH).cast(DataTypes.StringType);
        } else if (columns.contains("image")) {
            content = lit(null).cast(DataTypes.BinaryType);
            path = col("image.origin");
        } else {
            throw new IllegalArgumentException("the image table has columns " + columns + " but none of content "
                    + "(binaryFile source), path (paths or URIs) or image (image source); give one of them");
        }
        Column id = columns.contains(ID) ? col(ID).cast(DataTypes.StringType) : path;
        Column label = columns.contains(LABEL) ? col(LABEL).cast(DataTypes.IntegerType)
                : columns.contains("target") ? col("target").cast(DataTypes.IntegerType)
                : lit(null).cast(DataTypes.IntegerType);
        return input.select(id.as(ID), label.as(LABEL), content.as(CONTENT), path.as(PATH));
    }
}
