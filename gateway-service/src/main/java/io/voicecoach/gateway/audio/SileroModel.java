package io.voicecoach.gateway.audio;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * The Silero VAD v5 ONNX model, loaded once and shared by every track ({@link OrtSession#run} is thread-safe). Each
 * call takes 64 samples of context plus a 512-sample (32 ms) window of 16 kHz audio scaled to [-1, 1] and the
 * recurrent state [2, 1, 128], and returns the speech probability and the next state.
 */
public final class SileroModel implements AutoCloseable {

    public static final int WINDOW = 512;
    public static final int CONTEXT = 64;
    public static final int STATE = 2 * 128;
    private static final long[] INPUT_SHAPE = {1, CONTEXT + WINDOW};
    private static final long[] STATE_SHAPE = {2, 1, 128};
    private static final Set<String> INPUTS = Set.of("input", "state", "sr");

    private final OrtEnvironment env;
    private final OrtSession session;
    private final OnnxTensor sampleRate;

    private SileroModel(OrtEnvironment env, OrtSession session, OnnxTensor sampleRate) {
        this.env = env;
        this.session = session;
        this.sampleRate = sampleRate;
    }

    /**
     * Loads and checks the model: the file must exist, be a Silero VAD v5 graph (inputs {@code input}, {@code state},
     * {@code sr}) and run once on silence.
     *
     * @throws IllegalStateException with a message naming the path and what is wrong
     */
    public static SileroModel load(Path path, int intraOpThreads) {
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("Silero VAD model not found at " + path.toAbsolutePath());
        }
        OrtSession session = null;
        OnnxTensor sampleRate = null;
        try {
            var env = OrtEnvironment.getEnvironment();
            var options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = env.createSession(path.toString(), options);
            if (!session.getInputNames().equals(INPUTS) || session.getNumOutputs() != 2) {
                throw new IllegalStateException("not a Silero VAD v5 model: inputs " + session.getInputNames()
                        + ", expected " + INPUTS + " and 2 outputs");
            }
            sampleRate = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[] {16000}), new long[0]);
            var model = new SileroModel(env, session, sampleRate);
            model.probability(new float[CONTEXT + WINDOW], new float[STATE]);
            return model;
        } catch (OrtException | RuntimeException e) {
            closeQuietly(sampleRate);
            closeQuietly(session);
            throw new IllegalStateException("Silero VAD model at " + path.toAbsolutePath() + " cannot be used: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Runs one window.
     *
     * @param input {@link #CONTEXT} + {@link #WINDOW} samples in [-1, 1]
     * @param state the recurrent state, replaced by the next one
     * @return the speech probability of the window
     */
    public float probability(float[] input, float[] state) {
        try (var in = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), INPUT_SHAPE);
             var st = OnnxTensor.createTensor(env, FloatBuffer.wrap(state), STATE_SHAPE);
             var result = session.run(Map.of("input", in, "state", st, "sr", sampleRate))) {
            var probability = ((OnnxTensor) result.get(0)).getFloatBuffer().get(0);
            ((OnnxTensor) result.get(1)).getFloatBuffer().get(state);
            return probability;
        } catch (OrtException e) {
            throw new IllegalStateException("Silero VAD inference failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        closeQuietly(sampleRate);
        closeQuietly(session);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closing native handles at shutdown
        }
    }
}
