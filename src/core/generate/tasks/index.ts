// Every task generator, by name.
import type { TaskGenerator, TaskName } from '../types';
import { additionTask } from './addition';
import { compareTask } from './compare';
import { countLettersTask } from './countLetters';
import { highCardTask } from './highCard';
import { multiplicationTask } from './multiplication';
import { reverseTask } from './reverse';
import { subtractionTask } from './subtraction';
import { unitConvertTask } from './unitConvert';

export const TASKS: Record<TaskName, TaskGenerator> = {
  addition: additionTask,
  subtraction: subtractionTask,
  multiplication: multiplicationTask,
  reverse: reverseTask,
  count_letters: countLettersTask,
  compare: compareTask,
  unit_convert: unitConvertTask,
  high_card: highCardTask,
};
