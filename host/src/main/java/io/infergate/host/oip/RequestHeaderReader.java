package io.infergate.host.oip;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.infergate.host.errors.BadRequestException;
import io.infergate.plugin.api.ServiceDescriptor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads the JSON object of an inference request ({@code id}, {@code parameters}, {@code inputs},
 * {@code outputs}) with a streaming parser, validating as it goes. Unknown top-level fields (such as
 * Triton's {@code model_name}) are skipped. Input data is decoded by {@link InputReader}; blobs of the binary
 * extension are attached later by {@link OipRequestDecoder}.
 */
final class RequestHeaderReader {
  private final ServiceDescriptor service;
  private final InputChecker checker;

  RequestHeaderReader(ServiceDescriptor service) {
    this.service = service;
    this.checker = new InputChecker(service);
  }

  /** Reads and checks the whole JSON; {@code binaryBody} says whether blobs follow it. */
  RequestHeader read(JsonSource json, boolean binaryBody) throws IOException {
    try (JsonParser p = json.parser()) {
      JsonToken first = p.nextToken();
      if (first == null) {
        throw new BadRequestException("the request body is empty; send an OIP v2 inference request"
            + " {\"inputs\": [...]}");
      }
      if (first != JsonToken.START_OBJECT) {
        throw new BadRequestException("the request must be a JSON object {\"inputs\": [...]}, got "
            + OipJson.describe(p.currentToken()));
      }
      InputReader inputReader = new InputReader(checker, json, binaryBody);
      String id = null;
      Map<String, Object> parameters = Map.of();
      List<ParsedInput> inputs = null;
      List<OutputRequest> outputs = List.of();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        switch (field) {
          case "id" -> id = InputReader.text(p, "'id'");
          case "parameters" -> parameters = readParameters(p);
          case "inputs" -> inputs = readInputs(p, inputReader);
          case "outputs" -> outputs = readOutputs(p);
          default -> p.skipChildren();
        }
      }
      if (p.nextToken() != null) {
        throw new BadRequestException("the request has more JSON after its closing '}'; send exactly one object");
      }
      if (inputs == null) {
        throw new BadRequestException("the request has no 'inputs'; send \"inputs\": [{\"name\", \"shape\","
            + " \"datatype\", \"data\"}, ...] with every input of model '" + service.name() + "': "
            + InputChecker.names(service.inputs()));
      }
      // Checked last, so that a broken document or a bad output name is reported as such first.
      checker.requireAll(inputs.stream().map(ParsedInput::name).collect(Collectors.toSet()));
      boolean binaryDefault = binaryDataOutput(parameters);
      List<RequestedOutput> requested = new ArrayList<>(outputs.size());
      for (OutputRequest o : outputs) {
        requested.add(new RequestedOutput(o.name, o.binary == null ? binaryDefault : o.binary));
      }
      return new RequestHeader(Optional.ofNullable(id), parameters, inputs, requested, binaryDefault);
    }
  }

  private List<ParsedInput> readInputs(JsonParser p, InputReader reader) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw new BadRequestException("'inputs' must be an array of input objects, got "
          + OipJson.describe(p.currentToken()));
    }
    List<ParsedInput> inputs = new ArrayList<>(service.inputs().size());
    Set<String> seen = new HashSet<>();
    int index = 0;
    while (p.nextToken() != JsonToken.END_ARRAY) {
      ParsedInput in = reader.read(p, index++);
      if (!seen.add(in.name())) {
        throw new BadRequestException("input '" + in.name() + "' appears more than once in 'inputs'; send each"
            + " input once");
      }
      inputs.add(in);
    }
    return inputs;
  }

  /** A requested output before the request-level binary default is known (it may come later in the JSON). */
  private record OutputRequest(String name, Boolean binary) {}

  private List<OutputRequest> readOutputs(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw new BadRequestException("'outputs' must be an array of {\"name\"} objects, got "
          + OipJson.describe(p.currentToken()));
    }
    List<OutputRequest> outputs = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      String label = "outputs[" + outputs.size() + "]";
      if (p.currentToken() != JsonToken.START_OBJECT) {
        throw new BadRequestException(label + " must be an object {\"name\"}, got " + OipJson.describe(p.currentToken()));
      }
      String name = null;
      Boolean binary = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        switch (field) {
          case "name" -> name = InputReader.text(p, label + ".name");
          case "parameters" -> binary = readBinaryData(p, label);
          default -> p.skipChildren();
        }
      }
      if (name == null) {
        throw new BadRequestException(label + " has no 'name'");
      }
      if (service.output(name).isEmpty()) {
        throw new BadRequestException("output '" + name + "' is not an output of model '" + service.name()
            + "'; its outputs are " + InputChecker.names(service.outputs()));
      }
      if (!seen.add(name)) {
        throw new BadRequestException("output '" + name + "' is requested more than once; ask for each output once");
      }
      outputs.add(new OutputRequest(name, binary));
    }
    return outputs;
  }

  private static Boolean readBinaryData(JsonParser p, String label) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw new BadRequestException(label + ": 'parameters' must be an object");
    }
    Boolean binary = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken t = p.nextToken();
      if (field.equals("binary_data")) {
        if (!t.isBoolean()) {
          throw new BadRequestException(label + ": parameters.binary_data must be true or false, got "
              + OipJson.describe(t));
        }
        binary = t == JsonToken.VALUE_TRUE;
      } else {
        p.skipChildren();
      }
    }
    return binary;
  }

  /** Request parameters: a flat object of strings, numbers and booleans, as the spec defines them. */
  private static Map<String, Object> readParameters(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw new BadRequestException("'parameters' must be an object, got " + OipJson.describe(p.currentToken()));
    }
    Map<String, Object> parameters = new LinkedHashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      Object value = switch (t) {
        case VALUE_STRING -> p.getText();
        case VALUE_NUMBER_INT -> p.getNumberValue();
        case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
        case VALUE_TRUE, VALUE_FALSE -> t == JsonToken.VALUE_TRUE;
        default -> throw new BadRequestException("parameter '" + name + "' must be a string, number or boolean,"
            + " got " + OipJson.describe(t));
      };
      parameters.put(name, value);
    }
    return parameters;
  }

  private static boolean binaryDataOutput(Map<String, Object> parameters) {
    Object v = parameters.get("binary_data_output");
    if (v == null) {
      return false;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    throw new BadRequestException("parameter 'binary_data_output' must be true or false, got " + v);
  }
}
