package io.neuromask.spark;

import io.neuromask.data.Box;
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
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
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
 *     integer column, the class to explain (else the predicted class);</li>
 *   <li>optionally a {@code boxes} column, the image's ground-truth object boxes for the localisation metrics
 *     ({@link ResultSchema}): {@code array<struct<x0: double, y0: double, x1: double, y1: double>>} ({@link #BOXES_TYPE};
 *     any numeric field types are cast), in pixels of the image as given (before it is resized to the model's input),
 *     with {@link Box}'s convention: pixel (x, y) is the square [x, x+1)×[y, y+1) and belongs to a box when its
 *     centre lies inside, so {@code (0, 0, width, height)} is the whole image. Null or an empty array: no boxes, and
 *     null localisation columns. A box with {@code x1 < x0} or {@code y1 < y0}, a null or non-finite coordinate, or
 *     one outside the image gives the image an error row naming the box.</li>
 * </ul>
 */
public final class ImageTables {

    static final String ID = "id";
    static final String LABEL = "label";
    static final String CONTENT = "content";
    static final String PATH = "path";
    static final String BOXES = "boxes";
    /** The batch group of an image, added by the job. */
    static final String GROUP = "_group";

    /** One box of the {@code boxes} column: {@code struct<x0, y0, x1, y1>} of doubles, pixels of the image as given. */
    public static final StructType BOX_TYPE = new StructType()
            .add("x0", DataTypes.DoubleType, true)
            .add("y0", DataTypes.DoubleType, true)
            .add("x1", DataTypes.DoubleType, true)
            .add("y1", DataTypes.DoubleType, true);

    /** The type of the optional {@code boxes} column: an array of {@link #BOX_TYPE}. */
    public static final ArrayType BOXES_TYPE = DataTypes.createArrayType(BOX_TYPE, true);

    /** The normalised input: id, label (nullable), content (nullable), path (nullable), boxes (nullable). */
    static final StructType NORMALISED = new StructType()
            .add(ID, DataTypes.StringType, false)
            .add(LABEL, DataTypes.IntegerType, true)
            .add(CONTENT, DataTypes.BinaryType, true)
            .add(PATH, DataTypes.StringType, true)
            .add(BOXES, BOXES_TYPE, true);

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
     * as PNG bytes with their ids, labels and boxes (see {@link #of}).
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

    /**
     * Labelled images (encoded as lossless PNG) as a table with id, label, content and boxes (the images'
     * {@link LabeledImage#boxes()} in their pixels, null for an image without boxes).
     */
    public static Dataset<Row> of(SparkSession spark, List<LabeledImage> images) {
        List<Row> rows = new ArrayList<>(images.size());
        for (LabeledImage li : images) {
            rows.add(RowFactory.create(li.id(), li.label(), png(li), null, boxRows(li.boxes())));
        }
        return spark.createDataFrame(rows, NORMALISED);
    }

    /** Boxes as the values of a {@code boxes} cell ({@link #BOXES_TYPE}); null for none. */
    static List<Row> boxRows(List<Box> boxes) {
        if (boxes == null || boxes.isEmpty()) {
            return null;
        }
        List<Row> out = new ArrayList<>(boxes.size());
        for (Box b : boxes) {
            out.add(RowFactory.create(b.x0(), b.y0(), b.x1(), b.y1()));
        }
        return out;
    }

    /** Refuses a {@code boxes} column that is not an array of structs with numeric fields x0, y0, x1, y1. */
    private static void checkBoxesType(DataType type) {
        boolean ok = false;
        if (type instanceof ArrayType a && a.elementType() instanceof StructType st && st.fields().length == 4) {
            ok = true;
            for (int k = 0; k < 4; k++) {
                StructField f = st.fields()[k];
                ok &= f.name().equals(BOX_TYPE.fields()[k].name()) && f.dataType() instanceof NumericType;
            }
        }
        if (!ok) {
            throw new IllegalArgumentException("the boxes column has type " + type.simpleString() + "; give "
                    + BOXES_TYPE.simpleString() + " (pixels of the image as given), or leave the column out");
        }
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
     * Brings an input table to the normalised columns (id, label, content, path, boxes; boxes null when the table has
     * no {@code boxes} column).
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
        Column boxes = lit(null).cast(BOXES_TYPE);
        if (columns.contains(BOXES)) {
            checkBoxesType(input.schema().apply(BOXES).dataType());
            boxes = col(BOXES).cast(BOXES_TYPE);
        }
        return input.select(id.as(ID), label.as(LABEL), content.as(CONTENT), path.as(PATH), boxes.as(BOXES));
    }
}
