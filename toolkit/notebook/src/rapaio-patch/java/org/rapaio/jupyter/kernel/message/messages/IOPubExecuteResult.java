/*
 * NeuroMask patch of rapaio-jupyter-kernel 3.0.1's org.rapaio.jupyter.kernel.message.messages.IOPubExecuteResult.
 *
 * The Jupyter messaging protocol asks every MIME bundle to carry text/plain, the one representation every
 * front end (terminal consoles, nbconvert to text, jupyter_kernel_test) can show. 3.0.1 renders a cell's value
 * as text/html only (its default display MIME type), so "6 * 7" yields {"text/html": "42"}. The patch adds a
 * text/plain entry when the bundle lacks one: the HTML with its tags removed and its entities decoded (for the
 * default renderer, whose "HTML" is the value's toString(), that is the toString() itself), or "<mime type>"
 * for binary content. Same public API as the original.
 */
package org.rapaio.jupyter.kernel.message.messages;

import java.util.Map;
import org.rapaio.jupyter.kernel.display.DisplayData;
import org.rapaio.jupyter.kernel.message.ContentType;
import org.rapaio.jupyter.kernel.message.MessageType;
import org.rapaio.shaded.com.google.gson.annotations.SerializedName;

public class IOPubExecuteResult extends DisplayData implements ContentType<IOPubExecuteResult> {

    @SerializedName("execution_count")
    private final int count;

    public IOPubExecuteResult(int count, DisplayData data) {
        super(data.data(), data.metadata(), data.transientData());
        this.count = count;
        addPlainText(this.data);
    }

    @Override
    public MessageType<IOPubExecuteResult> type() {
        return MessageType.IOPUB_EXECUTE_RESULT;
    }

    /** Adds a text/plain entry derived from the richest other entry when {@code data} has none. */
    static void addPlainText(Map<String, Object> data) {
        if (data == null || data.containsKey("text/plain")) {
            return;
        }
        Object html = data.get("text/html");
        try {
            if (html != null) {
                data.put("text/plain", htmlToText(String.valueOf(html)));
            } else if (!data.isEmpty()) {
                data.put("text/plain", "<" + data.keySet().iterator().next() + ">");
            }
        } catch (UnsupportedOperationException e) {
            // an unmodifiable bundle: sent as it is
        }
    }

    /** Tags removed, common entities decoded, surrounding white space trimmed. */
    static String htmlToText(String html) {
        String text = html.replaceAll("(?i)<br\\s*/?>", "\n").replaceAll("<[^>]*>", "");
        return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&nbsp;", " ").replace("&amp;", "&").strip();
    }
}
