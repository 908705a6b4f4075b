package io.emojivoto.launcher;

/** A failure the launcher reports as one clear line (or a few), never as a stack trace. */
public class LauncherException extends RuntimeException {

    public LauncherException(String message) {
        super(message);
    }
}
