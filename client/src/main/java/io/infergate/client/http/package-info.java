/**
 * Paying over HTTP: {@link io.infergate.client.http.PaidHttpClient} (java.net.http) answers a 402 with a
 * voucher, a deposit or a refund payload, checks every {@code PAYMENT-RESPONSE} and resynchronises from
 * corrective 402s only on proof signed by the client's own key; {@link io.infergate.client.http.PaidResponse}
 * is what a call returns. Start with {@code PaidHttpClient.builder()}.
 */
package io.infergate.client.http;
