package io.voicecoach.coaching.detect;

import java.util.List;

/**
 * Multinomial logistic regression over unit-length sentence embeddings, trained in-process on the playbook's
 * examples when a playbook is loaded (a few hundred sentences: well under a second). Every class weighs the same in
 * the loss whatever its number of examples, with an L2 penalty; full-batch gradient descent with Nesterov momentum
 * from zero weights, so training is deterministic. Scoring one utterance is {@code classes x dimensions}
 * multiply-adds (a few microseconds).
 */
public final class SoftmaxClassifier {

    /**
     * Training settings, chosen by cross-validation over the default playbook's examples (bench). {@code lastWeight}
     * multiplies the weight of the last class (the detector's "none"), which must cover far more varied sentences.
     */
    public record Training(int epochs, double learningRate, double momentum, double l2, double lastWeight) {

        public static final Training DEFAULT = new Training(200, 4.0, 0.9, 1e-4, 3.0);
    }

    private final float[][] weights;
    private final float[] bias;

    private SoftmaxClassifier(float[][] weights, float[] bias) {
        this.weights = weights;
        this.bias = bias;
    }

    public int classes() {
        return bias.length;
    }

    public static SoftmaxClassifier train(List<float[]> inputs, int[] labels, int classes, Training training) {
        int n = inputs.size();
        if (n == 0) {
            throw new IllegalArgumentException("no training examples");
        }
        int dims = inputs.getFirst().length;
        double[] classWeight = balancedWeights(labels, classes);
        classWeight[classes - 1] *= training.lastWeight();
        double[][] w = new double[classes][dims];
        double[] b = new double[classes];
        double[][] vw = new double[classes][dims];
        double[] vb = new double[classes];
        double[][] lookW = new double[classes][dims];
        double[] lookB = new double[classes];
        double[] logits = new double[classes];
        for (int epoch = 0; epoch < training.epochs(); epoch++) {
            for (int c = 0; c < classes; c++) {
                for (int d = 0; d < dims; d++) {
                    lookW[c][d] = w[c][d] + training.momentum() * vw[c][d];
                }
                lookB[c] = b[c] + training.momentum() * vb[c];
            }
            double[][] gw = new double[classes][dims];
            double[] gb = new double[classes];
            for (int i = 0; i < n; i++) {
                float[] x = inputs.get(i);
                softmax(lookW, lookB, x, logits);
                double sampleWeight = classWeight[labels[i]];
                for (int c = 0; c < classes; c++) {
                    double error = sampleWeight * (logits[c] - (labels[i] == c ? 1 : 0));
                    gb[c] += error;
                    double[] row = gw[c];
                    for (int d = 0; d < dims; d++) {
                        row[d] += error * x[d];
                    }
                }
            }
            for (int c = 0; c < classes; c++) {
                for (int d = 0; d < dims; d++) {
                    double grad = gw[c][d] + training.l2() * lookW[c][d];
                    vw[c][d] = training.momentum() * vw[c][d] - training.learningRate() * grad;
                    w[c][d] += vw[c][d];
                }
                vb[c] = training.momentum() * vb[c] - training.learningRate() * gb[c];
                b[c] += vb[c];
            }
        }
        float[][] fw = new float[classes][dims];
        float[] fb = new float[classes];
        for (int c = 0; c < classes; c++) {
            for (int d = 0; d < dims; d++) {
                fw[c][d] = (float) w[c][d];
            }
            fb[c] = (float) b[c];
        }
        return new SoftmaxClassifier(fw, fb);
    }

    /** Class probabilities of one embedding. */
    public double[] probabilities(float[] input) {
        double[] result = new double[bias.length];
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < bias.length; c++) {
            double sum = bias[c];
            float[] row = weights[c];
            for (int d = 0; d < row.length; d++) {
                sum += row[d] * input[d];
            }
            result[c] = sum;
            max = Math.max(max, sum);
        }
        normalise(result, max);
        return result;
    }

    /** Weights so every class contributes the same total to the (mean) loss. */
    private static double[] balancedWeights(int[] labels, int classes) {
        int[] counts = new int[classes];
        for (int label : labels) {
            counts[label]++;
        }
        int present = 0;
        for (int count : counts) {
            present += count > 0 ? 1 : 0;
        }
        double[] weights = new double[classes];
        for (int c = 0; c < classes; c++) {
            weights[c] = counts[c] == 0 ? 0 : 1.0 / (present * counts[c]);
        }
        return weights;
    }

    private static void softmax(double[][] w, double[] b, float[] x, double[] out) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < b.length; c++) {
            double sum = b[c];
            double[] row = w[c];
            for (int d = 0; d < row.length; d++) {
                sum += row[d] * x[d];
            }
            out[c] = sum;
            max = Math.max(max, sum);
        }
        normalise(out, max);
    }

    private static void normalise(double[] logits, double max) {
        double total = 0;
        for (int c = 0; c < logits.length; c++) {
            logits[c] = Math.exp(logits[c] - max);
            total += logits[c];
        }
        for (int c = 0; c < logits.length; c++) {
            logits[c] /= total;
        }
    }
}
