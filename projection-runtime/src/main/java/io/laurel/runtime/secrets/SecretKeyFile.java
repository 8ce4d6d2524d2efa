package io.laurel.runtime.secrets;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Supplier;

/**
 * A secret kept in a file of the data directory when none is configured: the secrets key, the bootstrap admin key.
 * Services of one data directory start side by side, so the file is created once, atomically, and everyone else reads
 * the winner's value.
 */
public final class SecretKeyFile {
    private static final Logger log = LoggerFactory.getLogger(SecretKeyFile.class);

    /** The value in the file, and whether this call wrote it. */
    public record Secret(String value, boolean created) {
    }

    private SecretKeyFile() {
    }

    /** The key in {@code file}; a new one written there (readable by its owner only) when there is none yet. */
    public static String readOrCreate(Path file) throws IOException {
        Secret secret = readOrCreate(file, SecretBox::newKey);
        if (secret.created()) {
            log.warn("No LAUREL_SECRETS_KEY: generated a secrets key into {}. Every instance must use the same key;"
                    + " keep a copy of it, as secrets encrypted with it cannot be read without it.", file.toAbsolutePath());
        }
        return secret.value();
    }

    /**
     * The secret in {@code file}, or {@code newValue} written there (readable by its owner only) when there is none
     * yet. Of several processes calling this at once, one writes and all return its value.
     */
    public static synchronized Secret readOrCreate(Path file, Supplier<String> newValue) throws IOException {
        if (Files.exists(file)) {
            return new Secret(Files.readString(file).trim(), false);
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        String value = newValue.get();
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName().toString(), ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the directory's own protection applies
            }
            Files.writeString(tmp, value + "\n");
            try {
                // link(2) fails if the name exists, atomically: Files.move checks first and then renames over it, so
                // two services starting together could each keep a value of their own
                Files.createLink(file, tmp);
            } catch (FileAlreadyExistsException e) {
                return new Secret(Files.readString(file).trim(), false); // another service was first
            } catch (UnsupportedOperationException | FileSystemException e) {
                // a file system without hard links (SMB shares, vfat, some FUSE mounts): a rename, as before
                try {
                    Files.move(tmp, file);
                } catch (FileAlreadyExistsException first) {
                    return new Secret(Files.readString(file).trim(), false);
                }
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return new Secret(value, true);
    }
}
