/**
 * The KServe Open Inference Protocol v2 codec: request bodies in, response and metadata bodies out, with the
 * binary tensor data extension. No HTTP routing lives here; the routes call these classes.
 *
 * <p>Start with {@link io.infergate.host.oip.OipRequestDecoder} (one per service): it turns a body, JSON or
 * {@code Inference-Header-Content-Length}-framed, into an {@link io.infergate.host.oip.OipRequest} whose
 * tensors have been checked against the service's signature, or throws a
 * {@link io.infergate.host.errors.BadRequestException} that names the input and the fix. The service's
 * {@code InferenceOutput} goes back through {@link io.infergate.host.oip.OipResponseEncoder}, which gives an
 * {@link io.infergate.host.oip.EncodedResponse} (body, content type, header length).
 * {@link io.infergate.host.oip.ModelMetadataEncoder} writes {@code GET /v2/models/{name}}.
 *
 * <p>Inside: {@code RequestHeaderReader} streams the JSON object, {@code InputReader} one input,
 * {@code InputChecker} holds the signature rules, {@code JsonTensorReader} / {@code BinaryTensorReader}
 * decode data into tensors, {@code JsonTensorWriter} / {@code BinaryTensorWriter} encode them. Everything
 * streams through Jackson's parser and generator: no trees of boxed numbers on the hot path.
 */
package io.infergate.host.oip;
