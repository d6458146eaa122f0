// tone.js (mobile): a state's colour (shared/serving.js stateTone) as a Vant tag type, which has no 'info'
import { stateTone } from '../shared/serving.js';

export const vantTone = (state) => {
  const tone = stateTone(state);
  return tone === 'info' ? 'default' : tone;
};
