package io.infergate.host.oip;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The JSON part of a request, validated, before binary blobs are attached. Inputs are in request order. */
record RequestHeader(Optional<String> id, Map<String, Object> parameters, List<ParsedInput> inputs,
    List<RequestedOutput> outputs, boolean binaryOutputDefault) {}
