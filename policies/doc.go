// Package policies keeps Polestar Insurance motor policies for Sweden
// (insurance-se-2021-10) as dated versions: the policyholder, the car, the
// covers and add-ons, the deductibles of the insurance letter, bonus class
// and claim-free years, the insurance period of 5.1, the payment plan and
// invoices of 5.2, and the collision cover that 5.10 adds by itself when the
// maker's damage warranty ends.
//
// A policy is never edited: every change is a new version valid from a day,
// with a new insurance letter, and VersionOn gives the version in force on
// a day, which a claim of that day uses. Premiums are given, not rated.
//
// The package does no I/O and reads no clock: instants are passed in and
// turned into Swedish civil days by SwedishDay. Documents enter through
// DecodeNewPolicy and DecodeChange (every bad field named) and leave through
// the Append*JSON encoders.
package policies
