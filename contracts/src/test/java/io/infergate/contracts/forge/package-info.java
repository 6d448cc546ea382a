/** Runs the Solidity (forge) test suite from Maven so that {@code mvn verify} covers it. */
package io.infergate.contracts.forge;
