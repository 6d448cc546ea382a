/**
 * The x402 {@code offer-receipt} extension (EIP-712 format), as {@code @x402/extensions} 2.27.0 implements it: signed
 * offers in a 402's {@code extensions["offer-receipt"].info.offers[]} and a signed receipt in
 * {@code PAYMENT-RESPONSE} {@code extensions["offer-receipt"].info.receipt}.
 */
package io.infergate.x402.offerreceipt;
