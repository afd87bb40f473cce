package io.voicecoach.tools.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Valid;

/**
 * Bean Validation of a {@link ToolRequest} read from a body: a violation is a {@code ConstraintViolationException}
 * that the platform answers as 400 problem+json, one {@code errors[{path, message}]} entry per violation with the
 * field's JSON path ({@code $.webhook.timeoutMs}).
 */
@ApplicationScoped
public class ToolRequestCheck {

    public ToolRequest valid(@Valid ToolRequest body) {
        return body;
    }
}
