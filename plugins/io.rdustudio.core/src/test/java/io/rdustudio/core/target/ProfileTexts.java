package io.rdustudio.core.target;

import java.nio.charset.StandardCharsets;

/** A small valid profile written out in full, which tests change one piece at a time. */
final class ProfileTexts {

    static final String VALID_GPU = """
            {
              "name": "my-gpu-node",
              "kind": "gpu",
              "description": "A GPU node for tests.",
              "figures": {
                "gpusPerNode": {"nominal": 8, "low": 8, "high": 8, "unit": "count", "provenance": "published", "source": "data sheet"},
                "peakFlopsPerGpu": {"nominal": 312e12, "low": 312e12, "high": 312e12, "unit": "FLOP/s", "provenance": "published", "source": "data sheet"},
                "hbmBytesPerGpu": {"nominal": 80e9, "low": 80e9, "high": 80e9, "unit": "bytes", "provenance": "published", "source": "data sheet"},
                "hbmBandwidthBytesPerSecond": {"nominal": 2.0e12, "low": 1.9e12, "high": 2.1e12, "unit": "bytes/s", "provenance": "published", "source": "data sheet"},
                "nvlinkBytesPerSecond": {"nominal": 600e9, "low": 600e9, "high": 600e9, "unit": "bytes/s", "provenance": "published", "source": "data sheet"},
                "kernelLaunchSeconds": {"nominal": 5e-6, "low": 3e-6, "high": 10e-6, "unit": "s", "provenance": "assumed", "source": "a few microseconds"},
                "hostToGpuBytesPerSecond": {"nominal": 32e9, "low": 32e9, "high": 128e9, "unit": "bytes/s", "provenance": "assumed", "source": "one PCIe Gen4 x16 link"},
                "hostMemoryBytes": {"nominal": 2e12, "low": 1e12, "high": 2e12, "unit": "bytes", "provenance": "published", "source": "data sheet"}
              }
            }
            """;

    private ProfileTexts() {
    }

    /** {@link #VALID_GPU} with the one occurrence of {@code target} replaced. */
    static String validGpuWith(String target, String replacement) {
        if (VALID_GPU.indexOf(target) < 0 || VALID_GPU.indexOf(target) != VALID_GPU.lastIndexOf(target)) {
            throw new IllegalArgumentException("not exactly one occurrence of " + target);
        }
        return VALID_GPU.replace(target, replacement);
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
