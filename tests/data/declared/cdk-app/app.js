// Minimal CDK app used to produce a real CDK-synthesised CloudFormation template
// for sagelint's declared-job tests. Branch 1 follows the CDK API reference example
// for SageMakerCreateTrainingJob.
const cdk = require('aws-cdk-lib');
const { Duration, Size } = cdk;
const ec2 = require('aws-cdk-lib/aws-ec2');
const s3 = require('aws-cdk-lib/aws-s3');
const sfn = require('aws-cdk-lib/aws-stepfunctions');
const tasks = require('aws-cdk-lib/aws-stepfunctions-tasks');

class TrainingStateMachineStack extends cdk.Stack {
  constructor(scope, id, props) {
    super(scope, id, props);

    // Branch 1: the CDK docs example, written as-is.
    const docsExample = new tasks.SageMakerCreateTrainingJob(this, 'TrainSagemaker', {
      trainingJobName: sfn.JsonPath.stringAt('$.JobName'),
      algorithmSpecification: {
        algorithmName: 'BlazingText',
        trainingInputMode: tasks.InputMode.FILE,
      },
      inputDataConfig: [{
        channelName: 'train',
        dataSource: {
          s3DataSource: {
            s3DataType: tasks.S3DataType.S3_PREFIX,
            s3Location: tasks.S3Location.fromJsonExpression('$.S3Bucket'),
          },
        },
      }],
      outputDataConfig: {
        s3OutputLocation: tasks.S3Location.fromBucket(
          s3.Bucket.fromBucketName(this, 'Bucket', 'amzn-s3-demo-bucket'), 'myoutputpath'),
      },
      resourceConfig: {
        instanceCount: 1,
        instanceType: new ec2.InstanceType(sfn.JsonPath.stringAt('$.InstanceType')),
        volumeSize: Size.gibibytes(50),
      },
      stoppingCondition: {
        maxRuntime: Duration.hours(2),
      },
    });

    // Branch 2: a Map whose item processor is a custom-image training job with literals.
    const mapTraining = new tasks.SageMakerCreateTrainingJob(this, 'TrainPerItem', {
      trainingJobName: sfn.JsonPath.stringAt('$.ItemJobName'),
      algorithmSpecification: {
        trainingImage: tasks.DockerImage.fromRegistry('123456789012.dkr.ecr.us-east-1.amazonaws.com/train:1.4'),
        trainingInputMode: tasks.InputMode.FILE,
      },
      outputDataConfig: {
        s3OutputLocation: tasks.S3Location.fromBucket(
          s3.Bucket.fromBucketName(this, 'MapOutputBucket', 'amzn-s3-demo-bucket'), 'map-output'),
      },
      resourceConfig: {
        instanceCount: 2,
        instanceType: ec2.InstanceType.of(ec2.InstanceClass.P3, ec2.InstanceSize.XLARGE2),
        volumeSize: Size.gibibytes(100),
      },
      hyperparameters: { epochs: '10' },
      environment: { LOG_LEVEL: 'info' },
      tags: { team: 'ml-platform' },
      enableNetworkIsolation: true,
    });

    const perItem = new sfn.Map(this, 'TrainEachItem', {
      itemsPath: sfn.JsonPath.stringAt('$.Items'),
    });
    perItem.itemProcessor(mapTraining);

    const parallel = new sfn.Parallel(this, 'TrainInParallel');
    parallel.branch(docsExample);
    parallel.branch(perItem);

    new sfn.StateMachine(this, 'TrainingStateMachine', {
      definitionBody: sfn.DefinitionBody.fromChainable(parallel),
    });
  }
}

const app = new cdk.App({ outdir: 'cdk.out' });
new TrainingStateMachineStack(app, 'SagelintCdkSampleStack');
app.synth();
