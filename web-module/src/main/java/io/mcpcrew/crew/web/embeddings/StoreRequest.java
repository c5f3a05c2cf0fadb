package io.mcpcrew.crew.web.embeddings;

import jakarta.json.bind.annotation.JsonbTypeDeserializer;
import java.util.List;

/** {@code {"items":[{"text":"...","vector":[0.1,-0.2,...]}, ...]}}: the body of a PUT. */
public class StoreRequest {
    private List<Item> items;

    public List<Item> getItems() {
        return items;
    }

    public void setItems(List<Item> items) {
        this.items = items;
    }

    /** One text and its vector. */
    public static class Item {
        private String text;
        private float[] vector;

        public String getText() {
            return text;
        }

        public void setText(String text) {
            this.text = text;
        }

        public float[] getVector() {
            return vector;
        }

        @JsonbTypeDeserializer(VectorJson.Reader.class)
        public void setVector(float[] vector) {
            this.vector = vector;
        }
    }
}
