package io.voicecoach.gateway.audio;

import java.util.Random;

/** Synthetic test signals and measurements. */
public final class Signals {

    public static short[] sine(double frequency, double amplitude, int rate, int samples) {
        var out = new short[samples];
        for (int i = 0; i < samples; i++) {
            out[i] = (short) Math.round(amplitude * 32767 * Math.sin(2 * Math.PI * frequency * i / rate));
        }
        return out;
    }

    /** Gaussian white noise with the given RMS level in dBFS. */
    static short[] noise(double dbfs, int samples, long seed) {
        var random = new Random(seed);
        double sigma = 32768 * Math.pow(10, dbfs / 20);
        var out = new short[samples];
        for (int i = 0; i < samples; i++) {
            out[i] = (short) Math.max(-32768, Math.min(32767, Math.round(random.nextGaussian() * sigma)));
        }
        return out;
    }

    static short[] add(short[] a, short[] b) {
        var out = new short[Math.max(a.length, b.length)];
        for (int i = 0; i < out.length; i++) {
            int sum = (i < a.length ? a[i] : 0) + (i < b.length ? b[i] : 0);
            out[i] = (short) Math.max(-32768, Math.min(32767, sum));
        }
        return out;
    }

    static short[] concat(short[]... parts) {
        int length = 0;
        for (var part : parts) {
            length += part.length;
        }
        var out = new short[length];
        int at = 0;
        for (var part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }

    static short[] slice(short[] signal, int from, int to) {
        return java.util.Arrays.copyOfRange(signal, from, to);
    }

    static double rms(short[] signal, int from, int to) {
        double energy = 0;
        for (int i = from; i < to; i++) {
            energy += (double) signal[i] * signal[i];
        }
        return Math.sqrt(energy / (to - from));
    }

    /** Amplitude of the {@code frequency} component (Goertzel), as a fraction of full scale. */
    public static double goertzel(short[] signal, int from, int to, double frequency, int rate) {
        double w = 2 * Math.PI * frequency / rate;
        double coefficient = 2 * Math.cos(w);
        double s1 = 0;
        double s2 = 0;
        for (int i = from; i < to; i++) {
            double s0 = signal[i] / 32768.0 + coefficient * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        double power = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
        return 2 * Math.sqrt(Math.max(0, power)) / (to - from);
    }

    /** Frequency estimated from rising zero crossings, interpolated between samples. */
    static double zeroCrossingFrequency(short[] signal, int from, int to, int rate) {
        double first = -1;
        double last = -1;
        int crossings = 0;
        for (int i = from + 1; i < to; i++) {
            if (signal[i - 1] < 0 && signal[i] >= 0) {
                double at = i - 1 + (double) -signal[i - 1] / (signal[i] - signal[i - 1]);
                if (first < 0) {
                    first = at;
                } else {
                    crossings++;
                }
                last = at;
            }
        }
        return crossings * rate / (last - first);
    }

    static double db(double ratio) {
        return 20 * Math.log10(ratio);
    }

    private Signals() {
    }
}
