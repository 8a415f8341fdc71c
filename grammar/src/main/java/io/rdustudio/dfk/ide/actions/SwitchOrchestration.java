package io.rdustudio.dfk.ide.actions;

import java.util.List;
import java.util.Optional;

import org.eclipse.lsp4j.CodeAction;
import org.eclipse.lsp4j.CodeActionKind;
import org.eclipse.xtext.nodemodel.INode;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;

import io.rdustudio.core.analysis.cost.CallCost;
import io.rdustudio.core.analysis.cost.Estimate;
import io.rdustudio.core.target.Figure;
import io.rdustudio.core.target.FigureKey;
import io.rdustudio.core.target.TargetProfile;
import io.rdustudio.dfk.dfk.DfkPackage;
import io.rdustudio.dfk.dfk.Orchestration;
import io.rdustudio.dfk.dfk.OrchestrationSetting;
import io.rdustudio.dfk.dfk.Schedule;
import io.rdustudio.dfk.dfk.Setting;

/**
 * Switches the schedule between software orchestration (the host issues each launch) and hardware
 * orchestration (the AGCUs run a static schedule), writing the {@code orchestration} setting or
 * adding it when absent (the default is software). The title gives the launches and the per-launch
 * cost of both modes from the target profile: the static estimate leaves launch costs out, the
 * emulator's run shows them.
 */
final class SwitchOrchestration {

    private SwitchOrchestration() {
    }

    static Optional<CodeAction> action(Source source, Schedule schedule) {
        OrchestrationSetting setting = null;
        for (Setting s : schedule.getSettings()) {
            if (s instanceof OrchestrationSetting o) {
                setting = o;
            }
        }
        Orchestration now = setting == null ? Orchestration.SOFTWARE : setting.getMode();
        Orchestration next = now == Orchestration.SOFTWARE ? Orchestration.HARDWARE : Orchestration.SOFTWARE;
        SourceEdits edits = source.edits();
        if (setting != null) {
            INode mode = NodeModelUtils.findNodesForFeature(setting, DfkPackage.Literals.ORCHESTRATION_SETTING__MODE).get(0);
            edits.replace(source.resource(), mode.getOffset(), mode.getLength(), next.getLiteral());
        } else if (!schedule.getSettings().isEmpty()) {
            INode last = NodeModelUtils.findActualNodeFor(schedule.getSettings().get(schedule.getSettings().size() - 1));
            edits.insert(source.resource(), last.getEndOffset(), ", orchestration = " + next.getLiteral());
        } else {
            edits.insert(source.resource(), headerEnd(schedule), " with orchestration = " + next.getLiteral());
        }
        CodeAction action = new CodeAction("Switch to " + next.getLiteral() + " orchestration" + launches(source, next));
        action.setKind(CodeActionKind.RefactorRewrite);
        action.setEdit(edits.build());
        return Optional.of(action);
    }

    /** {@code : 34 launches at 1 us (0.5-2) instead of 20 us (10-40) each}, or "" without an analysis. */
    private static String launches(Source source, Orchestration next) {
        if (source.analysis() == null || source.analysis().cost().isEmpty()) {
            return "";
        }
        List<CallCost> calls = source.analysis().cost().get().calls();
        long launches = calls.stream().mapToLong(CallCost::calls).sum();
        TargetProfile target = source.analysis().target();
        String hardware = seconds(target.figure(FigureKey.HARDWARE_LAUNCH_SECONDS));
        String software = seconds(target.figure(FigureKey.SOFTWARE_LAUNCH_SECONDS));
        boolean toHardware = next == Orchestration.HARDWARE;
        return String.format(java.util.Locale.ROOT, ": %,d launch%s at %s instead of %s each", launches,
                launches == 1 ? "" : "es", toHardware ? hardware : software, toHardware ? software : hardware);
    }

    private static String seconds(Figure figure) {
        return new Estimate(figure.nominal(), figure.low(), figure.high()).formatSeconds();
    }

    /** The end of {@code schedule NAME}, where a {@code with} clause goes. */
    private static int headerEnd(Schedule schedule) {
        List<INode> name = NodeModelUtils.findNodesForFeature(schedule, DfkPackage.Literals.SCHEDULE__NAME);
        if (!name.isEmpty()) {
            return name.get(0).getEndOffset();
        }
        INode node = NodeModelUtils.findActualNodeFor(schedule);
        return node.getOffset() + "schedule".length();
    }

    /** Whether the selection is on the schedule's header, before its opening brace. */
    static boolean onHeader(Source source, Schedule schedule) {
        INode node = NodeModelUtils.findActualNodeFor(schedule);
        int brace = SourceEdits.text(source.resource()).indexOf('{', node.getOffset());
        return source.resource() == schedule.eResource() && node.getOffset() <= source.to() && source.from() <= brace;
    }
}
