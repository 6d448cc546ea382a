/**
 * The {@code infergate client} command line (picocli): {@link io.infergate.client.cli.ClientCommand} with
 * {@code deposit}, {@code call}, {@code withdraw}, {@code status}, {@code recover} and {@code refund}. Shared
 * options ({@code --node}, {@code --rpc}, {@code --store}, {@code --key-env}) are in {@link
 * io.infergate.client.cli.ClientOptions}; defaults come from {@code .infergate/dev/node.json} ({@link
 * io.infergate.client.cli.NodeInfo}) when {@code ./infergate dev} is running. Keys are read from the
 * environment only.
 */
package io.infergate.client.cli;
