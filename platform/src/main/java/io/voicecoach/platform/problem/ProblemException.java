package io.voicecoach.platform.problem;

/** Throw to answer with {@link #problem()}; {@link ProblemMappers} writes it. */
public class ProblemException extends RuntimeException {

    private final Problem problem;

    public ProblemException(Problem problem) {
        super(problem.detail());
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
