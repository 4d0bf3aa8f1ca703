/*
 * NeuroMask patch of rapaio-jupyter-kernel 3.0.1's org.rapaio.jupyter.kernel.message.messages.IOPubDisplayData.
 *
 * Like IOPubExecuteResult (see there): every display_data bundle gets a text/plain entry when it lacks one,
 * as the Jupyter messaging protocol asks. Same public API as the original.
 */
package org.rapaio.jupyter.kernel.message.messages;

import org.rapaio.jupyter.kernel.display.DisplayData;
import org.rapaio.jupyter.kernel.message.ContentType;
import org.rapaio.jupyter.kernel.message.MessageType;

public class IOPubDisplayData extends DisplayData implements ContentType<IOPubDisplayData> {

    public IOPubDisplayData(DisplayData data) {
        super(data.data(), data.metadata(), data.transientData());
        IOPubExecuteResult.addPlainText(this.data);
    }

    @Override
    public MessageType<IOPubDisplayData> type() {
        return MessageType.IOPUB_DISPLAY_DATA;
    }
}
