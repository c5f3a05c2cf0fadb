package io.mcpcrew.crew.web.embeddings;

import java.util.List;

/** {@code {"texts":["...", ...]}}: the body of a lookup. */
public class LookupRequest {
    private List<String> texts;

    public List<String> getTexts() {
        return texts;
    }

    public void setTexts(List<String> texts) {
        this.texts = texts;
    }
}
