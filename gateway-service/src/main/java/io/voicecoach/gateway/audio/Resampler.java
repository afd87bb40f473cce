package io.voicecoach.gateway.audio;

/**
 * Streaming rational resampler (polyphase windowed-sinc, Kaiser window). Upsamples by {@code L}, low-pass filters
 * below the lower of the two Nyquist frequencies and keeps every {@code M}-th sample, computing only the outputs that
 * are kept. State carries over between calls, so chunk boundaries leave no seams. Not thread-safe: one per track.
 *
 * <p>Design: transition band {@code min(in, out) / 8} wide ending at the lower Nyquist frequency, 70 dB stopband.
 * 24 kHz -> 16 kHz: pass band to ~6 kHz, stop band from 8 kHz, 104 taps (52 per output sample).
 * 8 kHz -> 16 kHz: pass band to ~3 kHz, stop band from 4 kHz, 70 taps (35 per output sample).
 */
public final class Resampler {

    static final double STOPBAND_DB = 70;

    private final int up;
    private final int down;
    private final int tapsPerPhase;
    /**
     * {@code phases[p][k]}: coefficient for input {@code x[i - (tapsPerPhase - 1) + k]} at phase {@code p}, i.e. the
     * taps in time order, so the inner loop runs forward over both arrays.
     */
    private final float[][] phases;
    /** The last {@code tapsPerPhase - 1} inputs, oldest first, followed by room for new input. */
    private short[] history;
    /** Position of the next output in the upsampled domain, relative to the first sample of {@code history}'s tail. */
    private long nextOutput;
    private long inputsSeen;

    public Resampler(int inputRate, int outputRate) {
        if (inputRate <= 0 || outputRate <= 0) {
            throw new IllegalArgumentException("sample rates must be positive");
        }
        int gcd = gcd(inputRate, outputRate);
        this.up = outputRate / gcd;
        this.down = inputRate / gcd;
        if (up == down) {
            this.tapsPerPhase = 1;
            this.phases = new float[][] {{1f}};
        } else {
            double lower = Math.min(inputRate, outputRate);
            double transition = lower / 8;
            double cutoff = lower / 2 - transition / 2;
            double upsampledRate = (double) inputRate * up;
            double deltaOmega = 2 * Math.PI * transition / upsampledRate;
            int length = (int) Math.ceil((STOPBAND_DB - 8) / (2.285 * deltaOmega));
            this.tapsPerPhase = (length + up - 1) / up;
            this.phases = design(up, tapsPerPhase, cutoff / upsampledRate, kaiserBeta(STOPBAND_DB));
        }
        this.history = new short[tapsPerPhase - 1];
    }

    /** Taps evaluated per output sample. */
    public int tapsPerPhase() {
        return tapsPerPhase;
    }

    /** Resamples the next input samples; returns the outputs they complete (possibly none). */
    public short[] process(short[] input) {
        if (up == down) {
            return input.clone();
        }
        int keep = tapsPerPhase - 1;
        var buffer = new short[keep + input.length];
        System.arraycopy(history, 0, buffer, 0, keep);
        System.arraycopy(input, 0, buffer, keep, input.length);
        long firstInput = inputsSeen;
        inputsSeen += input.length;

        long lastOutputExclusive = ceilDiv(inputsSeen * up, down);
        int count = (int) Math.max(0, lastOutputExclusive - nextOutput);
        var output = new short[count];
        var streams = deinterleave(buffer);
        // outputs n, n + up, n + 2 up, ... share a phase and start down inputs apart
        for (int first = 0; first < Math.min(up, count); first++) {
            long position = (nextOutput + first) * down;
            int phase = (int) (position % up);
            int oldest = (int) (position / up - firstInput);
            float[] sums = filter(streams, oldest, phases[phase], (count - first + up - 1) / up);
            for (int j = 0; j < sums.length; j++) {
                output[first + j * up] = clip(sums[j]);
            }
        }
        nextOutput += count;
        System.arraycopy(buffer, buffer.length - keep, history, 0, keep);
        return output;
    }

    /** {@code streams[r][i] = buffer[i * down + r]}: a stride of {@code down} becomes a stride of one. */
    private short[][] deinterleave(short[] buffer) {
        var streams = new short[down][];
        for (int r = 0; r < down; r++) {
            var stream = new short[(buffer.length - r + down - 1) / down];
            for (int i = 0; i < stream.length; i++) {
                stream[i] = buffer[i * down + r];
            }
            streams[r] = stream;
        }
        return streams;
    }

    /**
     * {@code sums[j] = sum over k of buffer[oldest + j * down + k] * taps[k]}, one tap at a time across all outputs
     * (a contiguous multiply-add); each output still adds its taps in order, so the result does not depend on how the
     * input was split into calls. The samples stay {@code short}: an array of another type than {@code sums} cannot
     * alias it, which is what lets the JIT vectorise the inner loop (about 3x faster than float input).
     */
    private float[] filter(short[][] streams, int oldest, float[] taps, int outputs) {
        var sums = new float[outputs];
        for (int k = 0; k < taps.length; k++) {
            short[] stream = streams[(oldest + k) % down];
            int offset = (oldest + k) / down;
            float tap = taps[k];
            for (int j = 0; j < outputs; j++) {
                sums[j] += stream[offset + j] * tap;
            }
        }
        return sums;
    }

    private static float[][] design(int up, int tapsPerPhase, double normalizedCutoff, double beta) {
        int length = up * tapsPerPhase;
        double center = (length - 1) / 2.0;
        double[] prototype = new double[length];
        double sum = 0;
        for (int i = 0; i < length; i++) {
            double t = i - center;
            double sinc = t == 0 ? 2 * normalizedCutoff
                    : Math.sin(2 * Math.PI * normalizedCutoff * t) / (Math.PI * t);
            double ratio = 2.0 * i / (length - 1) - 1;
            double window = besselI0(beta * Math.sqrt(Math.max(0, 1 - ratio * ratio))) / besselI0(beta);
            prototype[i] = sinc * window;
            sum += prototype[i];
        }
        var phases = new float[up][tapsPerPhase];
        for (int i = 0; i < length; i++) {
            // output phase p takes prototype taps p, p + up, p + 2 up, ... against x[i], x[i - 1], ...: stored reversed
            phases[i % up][tapsPerPhase - 1 - i / up] = (float) (prototype[i] * up / sum);
        }
        return phases;
    }

    static double kaiserBeta(double attenuationDb) {
        if (attenuationDb > 50) {
            return 0.1102 * (attenuationDb - 8.7);
        }
        if (attenuationDb >= 21) {
            return 0.5842 * Math.pow(attenuationDb - 21, 0.4) + 0.07886 * (attenuationDb - 21);
        }
        return 0;
    }

    private static double besselI0(double x) {
        double sum = 1;
        double term = 1;
        double half = x / 2;
        for (int k = 1; k < 50; k++) {
            term *= (half / k) * (half / k);
            sum += term;
            if (term < 1e-12 * sum) {
                break;
            }
        }
        return sum;
    }

    private static short clip(float value) {
        int rounded = Math.round(value);
        return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, rounded));
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
