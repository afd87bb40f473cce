package io.voicecoach.coaching.kb;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Embeddings as {@code bytea}: float32, little endian, no header. */
final class Vectors {

    static byte[] toBytes(float[] vector) {
        var buffer = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(vector);
        return buffer.array();
    }

    static float[] fromBytes(byte[] bytes) {
        var floats = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        float[] vector = new float[floats.remaining()];
        floats.get(vector);
        return vector;
    }

    private Vectors() {
    }
}
