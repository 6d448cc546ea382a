package io.infergate.host.oip;

import io.infergate.plugin.api.InferenceInput;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One decoded and validated OIP v2 inference request.
 *
 * <p>{@code input} holds one tensor per input of the service, in the descriptor's order, each checked against
 * its {@link io.infergate.plugin.api.TensorSpec} (datatype, rank, fixed dimensions, batch limit, data length),
 * plus the request-level {@code parameters}. {@code outputs} lists the outputs the caller asked for, in the
 * order asked, each with its binary flag already resolved against {@code binary_data_output}; it is empty
 * when the caller asked for none, which means every output, each binary iff {@code binaryOutputDefault}.
 *
 * @param id the request's {@code id}, echoed in the response; empty if the caller sent none
 * @param input the input tensors and request parameters, ready for {@code AiService.infer}
 * @param outputs the requested outputs, or empty for all of them
 * @param binaryOutputDefault the request's {@code parameters.binary_data_output} (false when absent)
 */
public record OipRequest(Optional<String> id, InferenceInput input, List<RequestedOutput> outputs,
    boolean binaryOutputDefault) {

  public OipRequest {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(input, "input");
    outputs = List.copyOf(outputs);
  }
}
