package io.neuromask.store;

import java.util.ArrayList;
import java.util.List;

/**
 * Prefix replacements applied to every URL the store downloads, e.g. to go through an internal mirror
 * server or a proxy: {@code FROM=TO[,FROM=TO...]}; the first rule whose {@code FROM} starts the URL
 * replaces that prefix with {@code TO}. {@code https://=http://127.0.0.1:8765/} maps
 * {@code https://github.com/a/b} to {@code http://127.0.0.1:8765/github.com/a/b}. Set with env
 * {@code NEUROMASK_URL_REWRITE} or system property {@code neuromask.urlRewrite} (the property wins).
 */
public final class UrlRewrite {

    /** The rewrite that changes nothing. */
    public static final UrlRewrite NONE = new UrlRewrite(List.of());

    private record Rule(String from, String to) {}

    private final List<Rule> rules;

    private UrlRewrite(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /**
     * Parses {@code FROM=TO[,FROM=TO...]} ({@code null} or blank: no rewrite).
     *
     * @throws IllegalArgumentException naming the bad rule
     */
    public static UrlRewrite parse(String spec) {
        if (spec == null || spec.isBlank()) {
            return NONE;
        }
        List<Rule> rules = new ArrayList<>();
        for (String part : spec.split(",")) {
            String rule = part.trim();
            int eq = rule.indexOf('=');
            if (eq <= 0 || eq == rule.length() - 1) {
                throw new IllegalArgumentException("URL rewrite rule '" + rule + "' in '" + spec + "' is not FROM=TO;"
                        + " set NEUROMASK_URL_REWRITE (or -Dneuromask.urlRewrite) to FROM=TO[,FROM=TO...], e.g. "
                        + "https://=http://127.0.0.1:8765/");
            }
            rules.add(new Rule(rule.substring(0, eq), rule.substring(eq + 1)));
        }
        return new UrlRewrite(rules);
    }

    /** The rewrite from {@code neuromask.urlRewrite} or {@code NEUROMASK_URL_REWRITE}. */
    public static UrlRewrite fromEnvironment() {
        return parse(ModelStore.setting("neuromask.urlRewrite", "NEUROMASK_URL_REWRITE"));
    }

    /** The URL after the first matching rule, or unchanged. */
    public String apply(String url) {
        for (Rule r : rules) {
            if (url.startsWith(r.from())) {
                return r.to() + url.substring(r.from().length());
            }
        }
        return url;
    }

    /** Whether no rule is set. */
    public boolean isEmpty() {
        return rules.isEmpty();
    }

    @Override
    public String toString() {
        return rules.stream().map(r -> r.from() + "=" + r.to()).reduce((a, b) -> a + "," + b).orElse("");
    }
}
