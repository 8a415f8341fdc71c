package io.rdustudio.check;

import java.util.List;

import io.rdustudio.core.diag.Severity;
import io.rdustudio.core.target.TargetProfile;

/**
 * What one {@code dfk check} run found.
 *
 * @param files       every file checked, named as in {@link CheckDiagnostic#file()}: the ones given
 *                    first, in their order, then the ones reached through imports
 * @param diagnostics all problems, in {@link CheckDiagnostic#REPORT_ORDER}
 * @param target      the target profile the program was checked against
 */
public record CheckResult(List<String> files, List<CheckDiagnostic> diagnostics, TargetProfile target) {

    public CheckResult {
        files = List.copyOf(files);
        diagnostics = diagnostics.stream().sorted(CheckDiagnostic.REPORT_ORDER).toList();
    }

    public long count(Severity severity) {
        return diagnostics.stream().filter(d -> d.severity() == severity).count();
    }

    public boolean hasErrors() {
        return diagnostics.stream().anyMatch(CheckDiagnostic::isError);
    }
}
