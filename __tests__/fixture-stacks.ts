/** The fixtures' stacks, synthesized in-process (without writing) once per test worker. */
import { EXAMPLE_FILE, MULTI_FILE, edited, model, modelOf, sixtyBuses, synthAll } from "./helpers";

export const example = synthAll(model(EXAMPLE_FILE));
export const multi = synthAll(model(MULTI_FILE));
/** The example partner with 60 buses on every permission level: more than one policy's worth. */
export const sixty = synthAll(
  modelOf(
    edited(EXAMPLE_FILE, (c) => {
      c.partners[0].grants = sixtyBuses();
    }),
  ),
);
