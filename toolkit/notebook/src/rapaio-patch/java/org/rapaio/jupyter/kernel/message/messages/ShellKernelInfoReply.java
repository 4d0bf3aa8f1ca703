/*
 * NeuroMask patch of rapaio-jupyter-kernel 3.0.1's org.rapaio.jupyter.kernel.message.messages.ShellKernelInfoReply.
 *
 * The Jupyter messaging protocol (5.x) requires every reply on the shell channel, kernel_info_reply included,
 * to carry "status": "ok" (or "error"). 3.0.1's record has no status, so strict clients (jupyter_kernel_test's
 * test_kernel_info, for one) reject the reply. This record adds the status component, serialized as "status";
 * the original six-argument constructor stays and fills in "ok", so rapaio's callers link unchanged.
 */
package org.rapaio.jupyter.kernel.message.messages;

import java.util.List;
import org.rapaio.jupyter.kernel.core.LanguageInfo;
import org.rapaio.jupyter.kernel.message.ContentType;
import org.rapaio.jupyter.kernel.message.MessageType;
import org.rapaio.shaded.com.google.gson.annotations.SerializedName;

public record ShellKernelInfoReply(
        @SerializedName("protocol_version") String protocolVersion,
        @SerializedName("implementation") String implementationName,
        @SerializedName("implementation_version") String implementationVersion,
        @SerializedName("language_info") LanguageInfo langInfo,
        @SerializedName("banner") String banner,
        @SerializedName("help_links") List<LanguageInfo.Help> helpLinks,
        @SerializedName("status") String status) implements ContentType<ShellKernelInfoReply> {

    /** The original constructor: a successful reply ({@code "status": "ok"}). */
    public ShellKernelInfoReply(String protocolVersion, String implementationName, String implementationVersion,
            LanguageInfo langInfo, String banner, List<LanguageInfo.Help> helpLinks) {
        this(protocolVersion, implementationName, implementationVersion, langInfo, banner, helpLinks, "ok");
    }

    @Override
    public MessageType<ShellKernelInfoReply> type() {
        return MessageType.SHELL_KERNEL_INFO_REPLY;
    }
}
