package io.emojivoto.launcher;

/** A command line the launcher cannot take: an unknown option, a missing or invalid value. Exit status 2. */
public class UsageException extends LauncherException {

    public UsageException(String message) {
        super(message);
    }
}
