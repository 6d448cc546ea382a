/**
 * The host's one error model. Every expected failure is an {@link io.infergate.host.errors.InfergateException}
 * subclass carrying its HTTP status and a message that says what was wrong and what to do; the HTTP layer
 * maps them to responses in exactly one place ({@code io.infergate.host.http.ErrorResponder}). Expected
 * failures carry no stack trace.
 */
package io.infergate.host.errors;
