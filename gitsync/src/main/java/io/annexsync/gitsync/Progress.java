package io.annexsync.gitsync;

/**
 * Receives progress of long work (hashing, copying) so a caller can show it. Implementations must be thread-safe:
 * files are hashed in parallel and report from several threads.
 */
public interface Progress {
    /** Progress that nobody watches. */
    Progress NONE = new Progress() {
        @Override
        public void itemStarted(String item, long bytes) {}

        @Override
        public void bytesDone(long bytes) {}

        @Override
        public void itemDone(String item) {}
    };

    /** Work on {@code item} (a file's path) started; it has {@code bytes} to process, or -1 when unknown. */
    void itemStarted(String item, long bytes);

    /** Another {@code bytes} were processed (hashed, copied). */
    void bytesDone(long bytes);

    /** Work on {@code item} ended, well or not. */
    void itemDone(String item);
}
