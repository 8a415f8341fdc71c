package io.rdustudio.dfk.lowering;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.resource.Resource;

import io.rdustudio.core.ir.Program;
import io.rdustudio.core.ir.Role;
import io.rdustudio.core.ir.Schedule;
import io.rdustudio.core.ir.TensorDecl;
import io.rdustudio.core.ir.TensorType;
import io.rdustudio.core.ir.Tier;
import io.rdustudio.dfk.dfk.Constant;
import io.rdustudio.dfk.dfk.DfkPackage;
import io.rdustudio.dfk.dfk.Import;
import io.rdustudio.dfk.dfk.Kernel;
import io.rdustudio.dfk.dfk.Model;
import io.rdustudio.dfk.dfk.TopElement;

/**
 * The one step from syntax to IR: resolves imports, evaluates constants, declares tensors,
 * instantiates kernels (inferring shapes on every operator), lowers the schedule and checks its
 * dataflow. Never throws for a user error: problems come back as diagnostics beside a program that
 * holds everything that could be lowered.
 *
 * <p><b>API Boundary:</b> the result holds only core types; nothing downstream sees an EMF object.
 */
public final class DfkLowering {

    private DfkLowering() {
    }

    public static LoweringResult lower(Model entry) {
        return lower(entry, Map.of());
    }

    /**
     * Lowers the program as if its top-level constants named in {@code overrides} had the given
     * values (integers as {@link Long}, decimals as {@link Double}): what a run of the same program
     * at another KV length, batch or position needs. Constants defined in terms of an overridden
     * one follow it. A name that no top-level constant of the program has is an error at the start
     * of the entry file that lists the constants there are.
     */
    public static LoweringResult lower(Model entry, Map<String, ? extends Number> overrides) {
        Problems problems = new Problems();
        List<Model> models = collectModels(entry, problems);
        checkOverrides(entry, models, overrides.keySet(), problems);
        ConstantEvaluator evaluator = new ConstantEvaluator(problems, overrides);
        Types types = new Types(problems, evaluator);
        ShapeBinder binder = new ShapeBinder(problems, types);
        KernelInstances kernels = new KernelInstances(problems, evaluator, types, binder);

        Map<String, Long> constants = new LinkedHashMap<>();
        Map<io.rdustudio.dfk.dfk.TensorDecl, TensorDecl> tensors = new LinkedHashMap<>();
        List<io.rdustudio.dfk.dfk.Schedule> schedules = new ArrayList<>();
        for (Model model : models) {
            for (TopElement element : model.getElements()) {
                if (element instanceof Constant c) {
                    Number value = evaluator.constant(c);
                    if (value instanceof Long l && c.getName() != null) { // a nameless let is a syntax error, reported
                        constants.put(c.getName(), l);
                    }
                } else if (element instanceof io.rdustudio.dfk.dfk.TensorDecl t) {
                    TensorDecl decl = tensor(t, types);
                    if (decl != null) {
                        tensors.put(t, decl);
                    }
                } else if (element instanceof io.rdustudio.dfk.dfk.Schedule s && model == entry) {
                    schedules.add(s);
                }
            }
        }
        for (int i = 1; i < schedules.size(); i++) {
            problems.error("dfk.second-schedule", "a program has one schedule; merge this one into the first", schedules.get(i));
        }
        Optional<Schedule> schedule = Optional.empty();
        if (!schedules.isEmpty()) {
            schedule = Optional.of(new ScheduleLowering(problems, evaluator, types, binder, kernels, tensors)
                    .lower(schedules.get(0)));
        }
        checkUncalledKernels(entry, kernels, !schedules.isEmpty(), problems);
        UsageChecks.check(entry, problems);

        String name = entry.getName() != null ? entry.getName() : fileName(entry);
        Program program = new Program(name, Locations.uriOf(entry), constants, List.copyOf(tensors.values()),
                kernels.instances(), schedule);
        return new LoweringResult(program, problems.all());
    }

    private static void checkOverrides(Model entry, List<Model> models, Set<String> names, Problems problems) {
        if (names.isEmpty()) {
            return;
        }
        Set<String> declared = new java.util.TreeSet<>();
        for (Model model : models) {
            for (TopElement element : model.getElements()) {
                if (element instanceof Constant c && c.getName() != null) {
                    declared.add(c.getName());
                }
            }
        }
        for (String name : new java.util.TreeSet<>(names)) {
            if (!declared.contains(name)) {
                problems.error("dfk.unknown-override", "no constant named " + name + " to set; the program's constants: "
                        + (declared.isEmpty() ? "none" : String.join(", ", declared)), entry);
            }
        }
    }

    /** Kernels with concrete signatures are checked even when not called; generic ones only at calls. */
    private static void checkUncalledKernels(Model entry, KernelInstances kernels, boolean hasSchedule,
            Problems problems) {
        Set<EObject> called = new java.util.HashSet<>();
        for (TopElement top : entry.getElements()) {
            // calls are steps of a schedule only: no walk through every kernel body of the file
            if (top instanceof io.rdustudio.dfk.dfk.Schedule schedule) {
                for (io.rdustudio.dfk.dfk.CallStep step : org.eclipse.xtext.EcoreUtil2.getAllContentsOfType(schedule,
                        io.rdustudio.dfk.dfk.CallStep.class)) {
                    if (step.getCall() != null) {
                        called.add(step.getCall().getCallee());
                    }
                }
            }
        }
        for (TopElement element : entry.getElements()) {
            if (element instanceof Kernel k && k.getName() != null) {
                if (called.contains(k)) {
                    continue;
                }
                if (k.getShapeParams().isEmpty()) {
                    kernels.instantiate(k, ConstantEvaluator.Bindings.NONE);
                }
                if (hasSchedule) {
                    problems.warning("dfk.kernel-not-called", "kernel " + k.getName()
                            + " is never launched by the schedule; call it or move it to a library file", k);
                }
            }
        }
    }

    private static TensorDecl tensor(io.rdustudio.dfk.dfk.TensorDecl t, Types types) {
        TensorType type = types.evaluate(t.getType(), ConstantEvaluator.Bindings.NONE, t.getName());
        if (type == null || t.getName() == null) {
            return null;
        }
        Role role = Role.valueOf(t.getRole().getName().toUpperCase(java.util.Locale.ROOT));
        Optional<Tier> tier = t.getTier() == null || !t.eIsSet(DfkPackage.Literals.TENSOR_DECL__TIER) ? Optional.empty()
                : Tier.fromKeyword(t.getTier().getLiteral());
        return new TensorDecl(t.getName(), role, type, tier, Locations.of(t));
    }

    private static String fileName(Model model) {
        String uri = Locations.uriOf(model);
        String last = uri.substring(uri.lastIndexOf('/') + 1);
        return last.endsWith(".dfk") ? last.substring(0, last.length() - 4) : last;
    }

    /**
     * The entry model and every model it imports, transitively, each once, imports first. An import
     * that cannot be loaded or that closes a cycle is reported at the import statement of the entry
     * file (or of the imported file when the cycle lies further away).
     */
    static List<Model> collectModels(Model entry, Problems problems) {
        Set<Model> done = new LinkedHashSet<>();
        visit(entry, new ArrayList<>(), done, problems);
        return new ArrayList<>(done);
    }

    private static void visit(Model model, List<Model> path, Set<Model> done, Problems problems) {
        if (done.contains(model)) {
            return;
        }
        path.add(model);
        for (Import imp : model.getImports()) {
            Model imported = load(imp, problems);
            if (imported == null) {
                continue;
            }
            int start = path.indexOf(imported);
            if (start >= 0) {
                StringBuilder cycle = new StringBuilder();
                for (Model m : path.subList(start, path.size())) {
                    cycle.append(fileName(m)).append(".dfk -> ");
                }
                cycle.append(fileName(imported)).append(".dfk");
                problems.error("dfk.import-cycle", "import cycle: " + cycle
                        + "; move what the files share into a third file that both import", imp);
                continue;
            }
            visit(imported, path, done, problems);
        }
        path.remove(path.size() - 1);
        done.add(model);
    }

    private static Model load(Import imp, Problems problems) {
        String written = imp.getImportURI();
        Resource here = imp.eResource();
        if (written == null || here == null || here.getResourceSet() == null) {
            return null;
        }
        URI uri = io.rdustudio.dfk.scoping.DfkImportUriGlobalScopeProvider.resolve(here, written);
        if (uri == null || !written.endsWith(".dfk")) {
            problems.error("dfk.bad-import", "imports name .dfk files; '" + written + "' does not end in .dfk", imp);
            return null;
        }
        try {
            Resource resource = here.getResourceSet().getResource(uri, true);
            if (resource != null && !resource.getContents().isEmpty() && resource.getContents().get(0) instanceof Model m) {
                return m;
            }
        } catch (RuntimeException e) {
            // EMF wraps a missing file in a RuntimeException; reported below
        }
        problems.error("dfk.bad-import", "cannot import '" + written + "': no such file (looked for " + uri.toFileString()
                + "); paths are relative to this file", imp);
        return null;
    }

}
