package io.voicecoach.coaching.detect;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class SoftmaxClassifierTest {

    private static final int DIMS = 16;

    @Test
    void learnsThreeClustersAndGivesProbabilities() {
        var random = new Random(1);
        var inputs = new ArrayList<float[]>();
        var labels = new ArrayList<Integer>();
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 20; i++) {
                inputs.add(near(c, random));
                labels.add(c);
            }
        }
        var classifier = train(inputs, labels, SoftmaxClassifier.Training.DEFAULT);

        for (int c = 0; c < 3; c++) {
            double[] p = classifier.probabilities(near(c, random));
            assertThat(p[c]).as("class %d", c).isGreaterThan(0.8);
            assertThat(p[0] + p[1] + p[2]).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        }
    }

    @Test
    void theLastClassWeighsMoreWhenAskedOnAPointHalfwayBetween() {
        var random = new Random(2);
        var inputs = new ArrayList<float[]>();
        var labels = new ArrayList<Integer>();
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < 20; i++) {
                inputs.add(near(c, random));
                labels.add(c);
            }
        }
        var halfway = Embedder.unit(add(near(0, random), near(1, random)));
        var plain = train(inputs, labels, SoftmaxClassifier.Training.DEFAULT);
        var defaults = SoftmaxClassifier.Training.DEFAULT;
        var heavier = train(inputs, labels, new SoftmaxClassifier.Training(defaults.epochs(), defaults.learningRate(),
                defaults.momentum(), defaults.l2(), defaults.lastWeight() * 4));

        assertThat(heavier.probabilities(halfway)[1]).isGreaterThan(plain.probabilities(halfway)[1]);
    }

    private static SoftmaxClassifier train(List<float[]> inputs, List<Integer> labels,
                                           SoftmaxClassifier.Training training) {
        int[] y = labels.stream().mapToInt(Integer::intValue).toArray();
        return SoftmaxClassifier.train(inputs, y, 1 + labels.stream().mapToInt(Integer::intValue).max().orElse(0),
                training);
    }

    /** A unit vector around axis {@code c}. */
    private static float[] near(int c, Random random) {
        float[] v = new float[DIMS];
        for (int d = 0; d < DIMS; d++) {
            v[d] = (float) (random.nextGaussian() * 0.15);
        }
        v[c] += 1;
        return Embedder.unit(v);
    }

    private static float[] add(float[] a, float[] b) {
        float[] sum = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            sum[i] = a[i] + b[i];
        }
        return sum;
    }
}
