package io.annexsync.gitsync.stage;

/** The syntax tree of a {@link LargeFiles} expression. Immutable. */
sealed interface LargeFilesExpr {
    boolean matches(String path, long size);

    record Anything() implements LargeFilesExpr {
        @Override
        public boolean matches(String path, long size) {
            return true;
        }
    }

    record Nothing() implements LargeFilesExpr {
        @Override
        public boolean matches(String path, long size) {
            return false;
        }
    }

    record Include(Glob glob) implements LargeFilesExpr {
        @Override
        public boolean matches(String path, long size) {
            return glob.matches(path);
        }
    }

    record Exclude(Glob glob) implements LargeFilesExpr {
        @Override
        public boolean matches(String path, long size) {
            return !glob.matches(path);
        }
    }

    record LargerThan(long bytes) implements LargeFilesExpr {
        @Override
        public boolean matches(String path, long size) {
            return size > bytes;
        }
    }

    record SmallerThan(long bytes) implements LargeFilesExpr {
        @Override
        public boolean matches(String path, long size) {
            return size < bytes;
        }
    }

    record Not(LargeFilesExpr inner) implements LargeFilesExpr {
        @Override
        public boolean matches(String path, long size) {
            return !inner.matches(path, size);
        }
    }

    record And(LargeFilesExpr left, LargeFilesExpr right) implements LargeFilesExpr {
        @Override
        public boolean matches(String path, long size) {
            return left.matches(path, size) && right.matches(path, size);
        }
    }

    record Or(LargeFilesExpr left, LargeFilesExpr right) implements LargeFilesExpr {
        @Override
        public boolean matches(String path, long size) {
            return left.matches(path, size) || right.matches(path, size);
        }
    }

    /** One {@code word} or {@code key=value} term. */
    static LargeFilesExpr term(String token) {
        int eq = token.indexOf('=');
        String name = eq < 0 ? token : token.substring(0, eq);
        String value = eq < 0 ? "" : token.substring(eq + 1);
        return switch (name) {
            case "anything" -> new Anything();
            case "nothing" -> new Nothing();
            case "include" -> new Include(Glob.of(value));
            case "exclude" -> new Exclude(Glob.of(value));
            case "largerthan" -> new LargerThan(SizeParser.parse(value));
            case "smallerthan" -> new SmallerThan(SizeParser.parse(value));
            case "mimetype", "mimeencoding" -> throw new IllegalArgumentException(
                    name + "= needs libmagic, which annex-sync does not use; use include=/exclude= globs instead");
            default -> throw new IllegalArgumentException("cannot parse near \"" + token + "\"");
        };
    }
}
