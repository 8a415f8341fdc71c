package io.rdustudio.core.target;

import static io.rdustudio.core.target.ProfileTexts.VALID_GPU;
import static io.rdustudio.core.target.ProfileTexts.utf8;
import static io.rdustudio.core.target.ProfileTexts.validGpuWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Profiles the user writes: loaded from a path, hashed, and reported by path when wrong. */
class UserProfileTest {

    @TempDir
    Path folder;

    @Test
    void aProfileFileLoadsByPathString() throws IOException {
        Path file = Files.writeString(folder.resolve("my-gpu.json"), VALID_GPU);

        TargetProfile profile = TargetProfiles.load(file.toString());

        assertEquals("my-gpu-node", profile.name());
        assertEquals(file.toAbsolutePath().normalize().toString(), profile.source());
        assertEquals(5e-6, profile.value(FigureKey.KERNEL_LAUNCH_SECONDS));
        assertEquals(128e9, profile.at(Corner.OPTIMISTIC).value(FigureKey.HOST_TO_GPU_BYTES_PER_SECOND));
    }

    @Test
    void theContentHashIsTheSha256OfTheBytesAndFollowsEveryChange() throws Exception {
        Path file = folder.resolve("my-gpu.json");
        Files.writeString(file, VALID_GPU);
        String before = TargetProfiles.load(file).contentHash();

        Files.writeString(file, validGpuWith("\"nominal\": 5e-6", "\"nominal\": 6e-6"));
        String after = TargetProfiles.load(file).contentHash();

        assertEquals(sha256Hex(utf8(VALID_GPU)), before);
        assertNotEquals(before, after);
        Files.writeString(file, VALID_GPU);
        assertEquals(before, TargetProfiles.load(file).contentHash(), "same bytes, same hash");
    }

    @Test
    void aBundledProfileCopiedToAFileLoadsWithTheSameFiguresAndHash() throws IOException {
        TargetProfile bundled = TargetProfiles.load("sn40l");
        byte[] content;
        try (var in = TargetProfiles.class.getResourceAsStream("/io/rdustudio/core/target/profiles/sn40l.json")) {
            content = in.readAllBytes();
        }
        Path copy = Files.write(folder.resolve("sn40l"), content);

        TargetProfile loaded = TargetProfiles.load(copy.toString());

        assertEquals(bundled.figures(), loaded.figures());
        assertEquals(bundled.contentHash(), loaded.contentHash());
        assertEquals(copy.toAbsolutePath().normalize().toString(), loaded.source(), "a path is not a bundled name");
    }

    @Test
    void anUnknownNameListsTheBundledProfiles() {
        ProfileException error = assertThrows(ProfileException.class, () -> TargetProfiles.load("sn30"));

        assertEquals("sn30", error.source());
        assertTrue(error.getMessage().startsWith("target profile sn30: no bundled profile has this name and no file "),
                error.getMessage());
        assertTrue(error.getMessage().endsWith("bundled profiles are sn40l, sn40l-node, dgx-a100, dgx-h100, "
                + "or give the path of a profile file"), error.getMessage());
    }

    @Test
    void aBlankNameAsksForAProfile() {
        ProfileException error = assertThrows(ProfileException.class, () -> TargetProfiles.load(" "));

        assertTrue(error.getMessage().contains("no target profile given"), error.getMessage());
    }

    @Test
    void aFolderIsNotAProfile() {
        ProfileException error = assertThrows(ProfileException.class, () -> TargetProfiles.load(folder.toString()));

        assertEquals("target profile " + folder.toAbsolutePath().normalize()
                + ": is a folder; give the path of a profile file (.json)", error.getMessage());
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = folder.resolve("missing.json");

        ProfileException error = assertThrows(ProfileException.class, () -> TargetProfiles.load(missing));

        assertEquals("target profile " + missing.toAbsolutePath().normalize() + ": no such file; check the path",
                error.getMessage());
    }

    @Test
    void problemsInAFileNameTheFile() throws IOException {
        Path file = Files.writeString(folder.resolve("broken.json"), validGpuWith("\"low\": 3e-6", "\"low\": 6e-6"));

        ProfileException error = assertThrows(ProfileException.class, () -> TargetProfiles.load(file));

        assertEquals("target profile " + file.toAbsolutePath().normalize()
                + ": figures.kernelLaunchSeconds: low 6.0E-6 is above nominal 5.0E-6; make low <= nominal <= high",
                error.getMessage());
    }

    private static String sha256Hex(byte[] content) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }
}
