import { useEffect, useRef } from 'react';
import { useStdin } from 'ink';
import { createInputDecoder, type InputEvent } from './decoder.ts';

/**
 * Subscribes to the raw sequences Ink reads from stdin (after its own splitting) and hands
 * decoded events to `onEvent`. Ink's `useInput` is not used: see decoder.ts for why.
 */
export function useRawInput(onEvent: (event: InputEvent) => void): void {
  const { setRawMode, isRawModeSupported, internal_eventEmitter: emitter } = useStdin();
  const handler = useRef(onEvent);
  handler.current = onEvent;

  useEffect(() => {
    if (!isRawModeSupported) return;
    setRawMode(true);
    return () => setRawMode(false);
  }, [isRawModeSupported, setRawMode]);

  useEffect(() => {
    const decoder = createInputDecoder();
    const onInput = (raw: string): void => {
      for (const event of decoder.push(raw)) handler.current(event);
    };
    emitter.on('input', onInput);
    return () => {
      emitter.removeListener('input', onInput);
    };
  }, [emitter]);
}
