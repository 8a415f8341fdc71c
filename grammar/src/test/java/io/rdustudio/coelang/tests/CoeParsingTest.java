package io.rdustudio.coelang.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.rdustudio.coelang.coe.Descriptor;
import io.rdustudio.coelang.coe.Expert;
import io.rdustudio.coelang.coe.Hardware;
import io.rdustudio.coelang.coe.Spread;

/**
 * The parser on the constructs whose lexing is delicate: hyphenated profile names next to the
 * keyword {@code node}, ranges next to numbers ({@code [0..75]}), digit separators, decimals, both
 * comment styles. (This file also keeps the Xtext generator from writing its
 * placeholder test here.)
 */
class CoeParsingTest {

    @Test
    void profileNamesRangesSeparatorsAndComments() {
        Descriptor d = CoeTester.of("""
                # hash comment
                deployment d // slash comment
                hardware: sn40l-node, nodes 2
                model m: { layers 2 hidden 64 heads 4 ffn 128 vocab 1_000 context 64 tokens }
                router: m
                150 experts e: m, tp 8
                workload w { prompt 8 tokens output 2 tokens arrivals 0.25 per second mix zipf 1.1 }
                spread { node 0: e[0..75]  node 1: e[75..150] }
                """).descriptor();
        assertTrue(d.eResource().getErrors().isEmpty(), d.eResource().getErrors().toString());
        assertEquals("sn40l-node", ((Hardware) d.getElements().get(0)).getProfile().replace(" ", ""));
        assertEquals("150", ((Expert) d.getElements().get(3)).getCount());
        Spread spread = (Spread) d.getElements().get(5);
        assertEquals("75", spread.getNodes().get(1).getExperts().get(0).getFrom());
        assertEquals("150", spread.getNodes().get(1).getExperts().get(0).getTo());
    }
}
