package io.rdustudio.coelang.resolver;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.xtext.resource.IResourceFactory;
import org.eclipse.xtext.resource.IResourceServiceProvider;
import org.eclipse.xtext.resource.XtextResourceSet;

import com.google.inject.Injector;

import io.rdustudio.coe.model.ModelResolutionException;
import io.rdustudio.coe.model.ModelSpec;
import io.rdustudio.core.ir.DType;
import io.rdustudio.core.ir.Program;
import io.rdustudio.dfk.DfkStandaloneSetup;
import io.rdustudio.dfk.dfk.Model;
import io.rdustudio.dfk.lowering.DfkLowering;

/**
 * The bundled DFK template behind every parametric model ({@value #RESOURCE}): a Llama-style
 * decoder whose figures are constants, lowered with a descriptor's figures as constant overrides
 * ({@link DfkLowering#lower(Model, Map)}, through {@link BoundProgram}). The descriptor's dtype
 * replaces {@code bf16} in the template's text; each dtype's text is parsed once.
 */
final class LlamaTemplate {

    static final String RESOURCE = "/io/rdustudio/coelang/resolver/llama_decoder.dfk";

    /** The template's prefill kernels; the others are its decode step's. */
    static final Set<String> PREFILL = Set.of("prefill_embed", "prefill_layer", "prefill_head");
    static final Set<String> DECODE = Set.of("decode_embed", "decode_layer", "decode_head");

    private static final Map<DType, Model> PARSED = new EnumMap<>(DType.class);

    private LlamaTemplate() {
    }

    /**
     * The template for {@code shape} at tensor-parallel degree {@code tp}: its figures fixed, its
     * prompt length {@code T}, KV length {@code K} (the new token included) and batch {@code B} bound.
     */
    static BoundProgram bound(ModelSpec.Parametric shape, int tp) {
        Map<String, Long> figures = Map.of("L", (long) shape.layers(), "D", shape.hidden(), "H", (long) shape.heads(),
                "KVH", (long) shape.kvHeads(), "F", shape.ffn(), "V", shape.vocab(), "TP", (long) tp);
        return new BoundProgram(parsed(shape.dtype()), shape.label() + " cannot run at tensor-parallel degree " + tp
                + " in the Llama decoder template", figures, "T", "K", "B");
    }

    /**
     * The template lowered for {@code shape} at tensor-parallel degree {@code tp}: {@code batch}
     * prompts of {@code promptTokens}, decode step at KV length {@code kvTokens} (the new token included).
     *
     * @throws ModelResolutionException when the shape does not lower (the first error says why)
     */
    static Program lower(ModelSpec.Parametric shape, int tp, long promptTokens, long kvTokens, int batch) {
        return bound(shape, tp).lower(promptTokens, kvTokens, batch);
    }

    private static synchronized Model parsed(DType dtype) {
        return PARSED.computeIfAbsent(dtype, LlamaTemplate::parse);
    }

    private static Model parse(DType dtype) {
        String text = text().replaceAll("\\bbf16\\b", dtype.keyword());
        // a name of its own: a classpath: URI would send the resource set looking for a file of that name
        URI uri = URI.createURI("template:/llama_decoder-" + dtype.keyword() + ".dfk");
        // DFK as registered (by dfk check, the language server, a test); else an injector of our own,
        // unregistered: registering a second DFK would validate every DFK file twice
        IResourceServiceProvider registered = IResourceServiceProvider.Registry.INSTANCE.getResourceServiceProvider(uri);
        Injector dfk = registered != null ? registered.get(Injector.class) : new DfkStandaloneSetup().createInjector();
        XtextResourceSet resources = dfk.getInstance(XtextResourceSet.class);
        Resource resource = dfk.getInstance(IResourceFactory.class).createResource(uri);
        resources.getResources().add(resource);
        try {
            resource.load(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return (Model) resource.getContents().get(0);
    }

    static String text() {
        try (InputStream in = LlamaTemplate.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the Llama decoder template " + RESOURCE + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
