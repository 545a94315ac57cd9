package io.annexsync.gitsync.stage;

import io.annexsync.gitsync.RepoException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A parsed {@code annex.largefiles} expression: which files are "large" and go to the annex. Supports git-annex's
 * {@code anything}, {@code nothing}, {@code include=GLOB}, {@code exclude=GLOB}, {@code largerthan=SIZE},
 * {@code smallerthan=SIZE}, {@code and}, {@code or}, {@code not} and parentheses, with {@code and} implied between
 * adjacent terms. As in git-annex 10.20230126 (checked with {@code git annex matchexpression --largefiles}),
 * {@code and} and {@code or} have equal precedence and group from the left ({@code anything or nothing and nothing}
 * is false), {@code not} applies to the next term, and dangling operators or parentheses are forgiven.
 * {@code mimetype=}/{@code mimeencoding=} are refused: annex-sync has no libmagic. Immutable and thread-safe.
 */
public final class LargeFiles {
    /** Matches every file. */
    public static final LargeFiles ANYTHING = new LargeFiles("anything", new LargeFilesExpr.Anything());

    private final String text;
    private final LargeFilesExpr expr;

    private LargeFiles(String text, LargeFilesExpr expr) {
        this.text = text;
        this.expr = expr;
    }

    /**
     * Parses an expression.
     *
     * @throws RepoException naming the expression and the word that is wrong
     */
    public static LargeFiles parse(String expression) throws RepoException {
        Objects.requireNonNull(expression, "expression");
        try {
            return new LargeFiles(expression, new Parser(tokens(expression)).parse());
        } catch (IllegalArgumentException e) {
            throw new RepoException("annex.largefiles \"" + expression + "\": " + e.getMessage(), e);
        }
    }

    /** Whether a file at {@code path} (relative to the repository root, '/'-separated) of {@code size} is large. */
    public boolean matches(String path, long size) {
        return expr.matches(path, size);
    }

    /** The expression as written. */
    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }

    private static List<String> tokens(String expression) {
        List<String> tokens = new ArrayList<>();
        for (String word : expression.trim().split("\\s+")) {
            splitParens(word, tokens);
        }
        tokens.removeIf(String::isEmpty);
        return tokens;
    }

    private static void splitParens(String word, List<String> tokens) {
        int start = 0;
        while (start < word.length() && word.charAt(start) == '(') {
            tokens.add("(");
            start++;
        }
        int end = word.length();
        int closing = 0;
        while (end > start && word.charAt(end - 1) == ')' && !word.substring(start, end).contains("[")) {
            end--;
            closing++;
        }
        tokens.add(word.substring(start, end));
        for (int i = 0; i < closing; i++) {
            tokens.add(")");
        }
    }

    /** Left-to-right recursive descent over the tokens. */
    private static final class Parser {
        private final List<String> tokens;
        private int pos;

        Parser(List<String> tokens) {
            this.tokens = tokens;
        }

        LargeFilesExpr parse() {
            LargeFilesExpr e = sequence();
            while (pos < tokens.size()) { // a stray ')' at top level: git-annex ignores it
                pos++;
                e = new LargeFilesExpr.And(e, sequence());
            }
            return e;
        }

        private LargeFilesExpr sequence() {
            LargeFilesExpr result = new LargeFilesExpr.Anything();
            boolean empty = true;
            boolean or = false;
            while (pos < tokens.size() && !tokens.get(pos).equals(")")) {
                String t = tokens.get(pos);
                if (t.equals("and") || t.equals("or")) {
                    or = t.equals("or");
                    pos++;
                    continue;
                }
                LargeFilesExpr term = unary();
                result = empty ? term : or ? new LargeFilesExpr.Or(result, term) : new LargeFilesExpr.And(result, term);
                empty = false;
                or = false;
            }
            return result;
        }

        private LargeFilesExpr unary() {
            String t = tokens.get(pos++);
            if (t.equals("not")) {
                return pos < tokens.size() ? new LargeFilesExpr.Not(unary()) : new LargeFilesExpr.Anything();
            }
            if (t.equals("(")) {
                LargeFilesExpr inner = sequence();
                if (pos < tokens.size()) {
                    pos++; // the ')'; an unclosed '(' is closed at the end
                }
                return inner;
            }
            return LargeFilesExpr.term(t);
        }
    }
}
