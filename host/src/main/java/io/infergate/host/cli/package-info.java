/**
 * The node's command line (picocli): {@code serve} runs a node from a config file, {@code dev} runs a
 * complete local node on embedded defaults. The {@code infergate} launcher script at the repository root
 * builds the project when needed and calls {@link io.infergate.host.cli.InfergateCommand}.
 */
package io.infergate.host.cli;
