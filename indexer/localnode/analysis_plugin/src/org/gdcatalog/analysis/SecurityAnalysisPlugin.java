package org.gdcatalog.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.email.UAX29URLEmailTokenizer;
import org.apache.lucene.analysis.miscellaneous.RemoveDuplicatesTokenFilter;
import org.apache.lucene.analysis.pattern.PatternCaptureGroupTokenFilter;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.elasticsearch.index.analysis.AbstractTokenizerFactory;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.index.analysis.TokenizerFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;

/**
 * The analysis components Elasticsearch's security index needs (its "email" analyzer: tokenizer
 * uax_url_email, filters pattern_capture and unique) for a node without the analysis-common module,
 * such as Elastic's integ-test zip that gdc-es runs. Same names and settings as analysis-common's:
 * uax_url_email (max_token_length), pattern_capture (patterns, preserve_original), unique
 * (only_on_same_position).
 */
public final class SecurityAnalysisPlugin extends Plugin implements AnalysisPlugin {

    @Override
    public Map<String, AnalysisProvider<TokenizerFactory>> getTokenizers() {
        return Map.of("uax_url_email", (indexSettings, environment, name, settings) -> {
            int maxTokenLength = settings.getAsInt("max_token_length", StandardAnalyzer.DEFAULT_MAX_TOKEN_LENGTH);
            return new AbstractTokenizerFactory(name) {
                @Override
                public Tokenizer create() {
                    UAX29URLEmailTokenizer tokenizer = new UAX29URLEmailTokenizer();
                    tokenizer.setMaxTokenLength(maxTokenLength);
                    return tokenizer;
                }
            };
        });
    }

    @Override
    public Map<String, AnalysisProvider<TokenFilterFactory>> getTokenFilters() {
        return Map.of(
            "pattern_capture", AnalysisPlugin.requiresAnalysisSettings((indexSettings, environment, name, settings) -> {
                List<String> regexes = settings.getAsList("patterns");
                if (regexes.isEmpty()) {
                    throw new IllegalArgumentException("required setting 'patterns' is missing for token filter [" + name + "]");
                }
                List<Pattern> compiled = new ArrayList<>();
                for (String regex : regexes) {
                    compiled.add(Pattern.compile(regex));
                }
                Pattern[] patterns = compiled.toArray(new Pattern[0]);
                boolean preserveOriginal = settings.getAsBoolean("preserve_original", true);
                return new AbstractTokenFilterFactory(name) {
                    @Override
                    public TokenStream create(TokenStream input) {
                        return new PatternCaptureGroupTokenFilter(input, preserveOriginal, patterns);
                    }
                };
            }),
            "unique", (indexSettings, environment, name, settings) -> {
                boolean samePosition = settings.getAsBoolean("only_on_same_position", false);
                return new AbstractTokenFilterFactory(name) {
                    @Override
                    public TokenStream create(TokenStream input) {
                        return samePosition ? new RemoveDuplicatesTokenFilter(input) : new UniqueTokenFilter(input);
                    }
                };
            });
    }
}
