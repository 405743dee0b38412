/** JSON Lines codec: one JSON object per line; nested values become JSON columns. */
package dev.caravan.formats.jsonl;
