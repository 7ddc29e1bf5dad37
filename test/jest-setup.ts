import { Logger } from '@nestjs/common';

// Test output stays readable; PRAXIS_TEST_LOGS=1 brings the application's logs back.
if (process.env.PRAXIS_TEST_LOGS !== '1') Logger.overrideLogger(false);
