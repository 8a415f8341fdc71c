package io.rdustudio.coe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.rdustudio.coe.model.Deployment;
import io.rdustudio.coe.model.ExpertDecl;
import io.rdustudio.coe.model.NodeAssignment;
import io.rdustudio.core.diag.Diagnostic;

/**
 * The deployment's experts expanded to one entry per copy, in declaration order, with the node
 * each lives on. Built only once the count is known to be within {@link Limits#MAX_EXPERTS};
 * arrays rather than objects, so a sweep to a thousand experts stays cheap.
 */
final class ExpertTable {

    private final Deployment deployment;
    private final int[] declOf;
    private final int[] copyOf;
    private final int[] nodeOf;
    private final Map<String, Integer> byInstanceName = new HashMap<>();
    private final Map<String, int[]> byDeclName = new HashMap<>();
    private final Map<String, List<Integer>> byDomain = new LinkedHashMap<>();
    private final List<Diagnostic> problems = new ArrayList<>();

    ExpertTable(Deployment deployment) {
        this.deployment = deployment;
        int size = (int) deployment.expertCount();
        declOf = new int[size];
        copyOf = new int[size];
        nodeOf = new int[size];
        int next = 0;
        Map<String, ExpertDecl> firstDecl = new HashMap<>();
        for (int d = 0; d < deployment.experts().size(); d++) {
            ExpertDecl decl = deployment.experts().get(d);
            ExpertDecl earlier = firstDecl.putIfAbsent(decl.name(), decl);
            if (earlier != null) {
                problems.add(Diagnostic.error("coe.duplicate-expert", "duplicate expert '" + decl.name()
                        + "': it is already declared at " + earlier.location() + "; rename one of them",
                        decl.location()));
            }
            int first = next;
            for (int c = 0; c < Math.max(0, decl.count()); c++) {
                declOf[next] = d;
                copyOf[next] = c;
                String instance = decl.instanceName(c);
                Integer clash = byInstanceName.putIfAbsent(instance, next);
                if (clash != null && earlier == null) {
                    problems.add(Diagnostic.error("coe.duplicate-expert", "expert copy '" + instance
                            + "' has the name of a copy declared at " + deployment.experts().get(declOf[clash]).location()
                            + "; rename one of the declarations", decl.location()));
                }
                byDomain.computeIfAbsent(decl.domain(), k -> new ArrayList<>()).add(next);
                next++;
            }
            byDeclName.putIfAbsent(decl.name(), range(first, next));
        }
        byDomain.remove("");
        assignNodes();
    }

    private static int[] range(int from, int to) {
        int[] r = new int[to - from];
        Arrays.setAll(r, i -> from + i);
        return r;
    }

    private void assignNodes() {
        int nodes = Math.max(1, deployment.hardware().nodes());
        Arrays.fill(nodeOf, -1);
        for (NodeAssignment a : deployment.spread()) {
            boolean nodeOk = a.node() >= 0 && a.node() < nodes;
            if (!nodeOk) {
                problems.add(Diagnostic.error("coe.bad-node", "node " + a.node() + " does not exist: the hardware has "
                        + nodes + (nodes == 1 ? " node (index 0)" : " nodes (0 to " + (nodes - 1) + ")")
                        + "; use an index in that range or raise the node count", a.location()));
            }
            for (String name : a.experts()) {
                int[] members = lookup(name);
                if (members.length == 0) {
                    problems.add(Diagnostic.error("coe.unknown-expert", "node " + a.node() + " lists '" + name
                            + "', which is neither a declared expert nor a copy of one; check the spelling", a.location()));
                }
                for (int e : members) {
                    if (nodeOf[e] >= 0 && nodeOk) {
                        problems.add(Diagnostic.error("coe.expert-on-two-nodes", "expert '" + name(e) + "' is assigned to node "
                                + nodeOf[e] + " and to node " + a.node() + "; an expert lives on one node, remove one of them",
                                a.location()));
                    } else if (nodeOk) {
                        nodeOf[e] = a.node();
                    }
                }
            }
        }
        int unassigned = (int) Arrays.stream(nodeOf).filter(n -> n < 0).count();
        int block = Math.max(1, (unassigned + nodes - 1) / nodes);
        int dealt = 0;
        for (int e = 0; e < nodeOf.length; e++) {
            if (nodeOf[e] < 0) {
                nodeOf[e] = Math.min(nodes - 1, dealt++ / block);
            }
        }
    }

    int size() {
        return declOf.length;
    }

    int decl(int expert) {
        return declOf[expert];
    }

    ExpertDecl declaration(int expert) {
        return deployment.experts().get(declOf[expert]);
    }

    int node(int expert) {
        return nodeOf[expert];
    }

    String name(int expert) {
        return declaration(expert).instanceName(copyOf[expert]);
    }

    /** The experts a name stands for: one copy by its instance name, or every copy by the declared name. */
    int[] lookup(String name) {
        int[] all = byDeclName.get(name);
        if (all != null) {
            return all;
        }
        Integer one = byInstanceName.get(name);
        return one == null ? new int[0] : new int[] { one };
    }

    /** The experts tagged with {@code domain}, in order; empty when none. */
    List<Integer> domain(String domain) {
        return byDomain.getOrDefault(domain, List.of());
    }

    /** Domain tags in first-declared order. */
    List<String> domains() {
        return List.copyOf(byDomain.keySet());
    }

    /** Duplicate names and bad node assignments, located. */
    List<Diagnostic> problems() {
        return problems;
    }
}
