package io.neuromask.notebook;

import java.util.ArrayList;
import java.util.List;

/** A KernelDisplay that records calls. */
final class RecordingDisplay implements KernelDisplay {

    record Call(String kind, String id, MimeBundle bundle) {}

    final List<Call> calls = new ArrayList<>();
    private int next;

    @Override
    public String name() {
        return "recording";
    }

    @Override
    public String display(MimeBundle bundle) {
        String id = "id-" + next++;
        calls.add(new Call("display", id, bundle));
        return id;
    }

    @Override
    public void update(String displayId, MimeBundle bundle) {
        calls.add(new Call("update", displayId, bundle));
    }
}
