package org.gdcatalog.analysis;

import java.io.IOException;

import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/** Keeps the first occurrence of each term of the stream and drops every later repeat (the
 * {@code unique} filter with {@code only_on_same_position: false}); a dropped token's position
 * increment is not carried over, as analysis-common's filter does. */
final class UniqueTokenFilter extends TokenFilter {
    private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
    private final CharArraySet seen = new CharArraySet(8, false);

    UniqueTokenFilter(TokenStream input) {
        super(input);
    }

    @Override
    public boolean incrementToken() throws IOException {
        while (input.incrementToken()) {
            if (!seen.contains(term.buffer(), 0, term.length())) {
                char[] copy = new char[term.length()];
                System.arraycopy(term.buffer(), 0, copy, 0, term.length());
                seen.add(copy);
                return true;
            }
        }
        return false;
    }

    @Override
    public void reset() throws IOException {
        super.reset();
        seen.clear();
    }
}
