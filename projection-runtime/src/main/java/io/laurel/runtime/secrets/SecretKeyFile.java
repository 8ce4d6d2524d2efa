package io.laurel.runtime.secrets;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** The secrets key kept in a file of the data directory when none is configured. */
public final class SecretKeyFile {
    private static final Logger log = LoggerFactory.getLogger(SecretKeyFile.class);

    private SecretKeyFile() {
    }

    /** The key in {@code file}; a new one written there (readable by its owner only) when there is none yet. */
    public static synchronized String readOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            return Files.readString(file).trim();
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        String key = SecretBox.newKey();
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "secrets-key", ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the directory's own protection applies
            }
            Files.writeString(tmp, key + "\n");
            try {
                Files.move(tmp, file);
            } catch (FileAlreadyExistsException e) {
                return Files.readString(file).trim(); // another service of this data directory was first
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        log.warn("No LAUREL_SECRETS_KEY: generated a secrets key into {}. Every instance must use the same key;"
                + " keep a copy of it, as secrets encrypted with it cannot be read without it.", file.toAbsolutePath());
        return key;
    }
}
