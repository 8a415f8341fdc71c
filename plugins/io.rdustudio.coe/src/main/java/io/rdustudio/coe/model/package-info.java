/**
 * What a CoE deployment descriptor says, as plain immutable data: the hardware, the router, the
 * experts, the runtime policy, the workloads and how experts are spread over nodes
 * ({@link io.rdustudio.coe.model.Deployment}), plus the seam to the timing model
 * ({@link io.rdustudio.coe.model.ModelResolver}).
 *
 * <p><b>API Boundary:</b> the language side (grammar/) lowers a {@code .coe} file to these records;
 * JSON import ({@code DeploymentJson}) builds the same records. Nothing here knows EMF or Xtext.
 * The records hold what was written, unchecked: {@code DeploymentCheck} reports what is wrong
 * (a batch of 0, a model with no weights, experts that do not fit) as located diagnostics, so a
 * user's mistake is never an exception. Constructors only refuse {@code null} and copy lists
 * and maps.
 *
 * <p>Units are in the names: {@code ...Seconds}, {@code ...Bytes}, {@code ...Tokens},
 * {@code arrivalsPerSecond}. The contract with the language side is {@code docs/coe-api.md}.
 */
package io.rdustudio.coe.model;
