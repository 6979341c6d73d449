package io.imagegate.api;

import io.imagegate.gate.VettingCheck;
import io.imagegate.registry.RegistryClient;

/** The vet workflow: quarantine, scan, promote, record the verdict; and reading verdicts back. */
final class Vetting {
    private final ImageGate gate;

    Vetting(ImageGate gate) {
        this.gate = gate;
    }

    VetResult vet(VetSpec spec, ProgressListener progress) {
        throw ImageGateException.internal("vet.unavailable", "vetting is not available in this build");
    }

    SyncResult sync(SyncSpec spec, ProgressListener progress) {
        throw ImageGateException.internal("sync.unavailable", "sync is not available in this build");
    }

    VerdictsResult verdicts(VerdictSpec spec) {
        throw ImageGateException.internal("verdict.unavailable", "reading verdicts is not available in this build");
    }

    VettingCheck check(RegistryClient client, String policy, boolean anyPolicy) {
        throw ImageGateException.internal("gate.vetting-unavailable", "the vetting check is not available in this build");
    }
}
